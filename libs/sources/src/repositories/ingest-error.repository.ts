import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PageRequest } from '@caravan/common';
import { LessThan, Repository } from 'typeorm';
import { IngestError } from '../entities/ingest-error.entity';

@Injectable()
export class IngestErrorRepository {
  constructor(@InjectRepository(IngestError) private readonly errors: Repository<IngestError>) {}

  async insert(error: IngestError): Promise<void> {
    await this.errors.insert(error);
  }

  listPage(projectId: string, sourceId: string, page: PageRequest): Promise<IngestError[]> {
    return this.errors.find({
      where: { projectId, sourceId, ...(page.beforeId ? { id: LessThan(page.beforeId) } : {}) },
      order: { id: 'DESC' },
      take: page.limit + 1,
    });
  }
}
