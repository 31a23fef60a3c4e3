import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { Source } from '../../entities/source.entity';
import { SourceRepository } from '../../repositories/source.repository';

@Injectable()
export class GetSource {
  constructor(private readonly sources: SourceRepository) {}

  /** `field` names the request field that carried the id, for the 404 body. */
  async execute(projectId: string, sourceId: string, field = 'source_id'): Promise<Source> {
    const source = await this.sources.findById(projectId, sourceId);
    if (!source) throw NotFoundError.of('source', field);
    return source;
  }
}
