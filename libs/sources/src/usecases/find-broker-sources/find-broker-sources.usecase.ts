import { Injectable } from '@nestjs/common';
import { BrokerSourceType, Source } from '../../entities/source.entity';
import { SourceRepository } from '../../repositories/source.repository';

/** Broker sources of every project, for the process that runs their consumers. */
@Injectable()
export class FindBrokerSources {
  constructor(private readonly sources: SourceRepository) {}

  execute(types: BrokerSourceType[] = ['kafka', 'sqs', 'pubsub']): Promise<Source[]> {
    return this.sources.findByTypes(types);
  }
}
