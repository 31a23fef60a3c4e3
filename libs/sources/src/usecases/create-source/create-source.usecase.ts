import { Injectable } from '@nestjs/common';
import { InvalidInputError, newId } from '@caravan/common';
import { CreateSourceDto, storedMapping, storedResponse } from '../../dtos/source.dto';
import { Source } from '../../entities/source.entity';
import { generateMaskId } from '../../mask-id';
import { SourceRepository } from '../../repositories/source.repository';
import { SourceCredentials } from '../../source-credentials';

@Injectable()
export class CreateSource {
  constructor(
    private readonly sources: SourceRepository,
    private readonly credentials: SourceCredentials,
  ) {}

  async execute(projectId: string, command: CreateSourceDto): Promise<Source> {
    const source = new Source();
    source.id = newId();
    source.projectId = projectId;
    source.name = command.name;
    source.type = command.type ?? 'http';
    source.maskId = generateMaskId();
    source.verifier = this.credentials.sealVerifier(command.verifier ?? { type: 'none' });
    if (source.type === 'http') {
      if (command.broker)
        throw new InvalidInputError('broker applies to kafka, sqs and pubsub sources only', 'broker');
      source.broker = null;
    } else {
      if (!command.broker)
        throw new InvalidInputError(`a ${source.type} source needs broker.${source.type}`, 'broker');
      source.broker = this.credentials.sealBroker(source.type, command.broker);
    }
    source.idempotencyHeader = command.idempotency_header ?? null;
    source.response = command.response ? storedResponse(command.response) : null;
    source.mapping = command.mapping ? storedMapping(command.mapping) : null;
    source.bodyLimitBytes = command.body_limit_bytes ?? null;
    return this.sources.save(source);
  }
}
