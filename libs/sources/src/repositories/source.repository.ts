import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PageRequest } from '@caravan/common';
import { In, LessThan, Repository } from 'typeorm';
import { BrokerSourceType, Source } from '../entities/source.entity';

@Injectable()
export class SourceRepository {
  constructor(@InjectRepository(Source) private readonly sources: Repository<Source>) {}

  findById(projectId: string, sourceId: string): Promise<Source | null> {
    return this.sources.findOneBy({ projectId, id: sourceId });
  }

  /**
   * The one finder without a project id: a public ingest request names its source by mask id
   * alone, and the project comes from the source found.
   */
  findHttpSourceByMaskId(maskId: string): Promise<Source | null> {
    return this.sources.findOneBy({ maskId, type: 'http' });
  }

  /** Broker sources of every project, for the consumers a data-plane process runs. */
  findByTypes(types: BrokerSourceType[]): Promise<Source[]> {
    return this.sources.find({ where: { type: In(types) }, order: { id: 'ASC' } });
  }

  listPage(projectId: string, page: PageRequest): Promise<Source[]> {
    return this.sources.find({
      where: { projectId, ...(page.beforeId ? { id: LessThan(page.beforeId) } : {}) },
      order: { id: 'DESC' },
      take: page.limit + 1,
    });
  }

  save(source: Source): Promise<Source> {
    return this.sources.save(source);
  }

  async delete(projectId: string, sourceId: string): Promise<boolean> {
    const result = await this.sources.delete({ projectId, id: sourceId });
    return (result.affected ?? 0) > 0;
  }
}
