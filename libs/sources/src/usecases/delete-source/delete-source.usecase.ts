import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { SourceRepository } from '../../repositories/source.repository';

/** Deletes the source, its subscriptions and its ingest errors. Its events stay. */
@Injectable()
export class DeleteSource {
  constructor(private readonly sources: SourceRepository) {}

  async execute(projectId: string, sourceId: string): Promise<void> {
    if (!(await this.sources.delete(projectId, sourceId))) throw NotFoundError.of('source', 'source_id');
  }
}
