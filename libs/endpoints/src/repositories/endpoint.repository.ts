import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IdLoader, PageRequest } from '@caravan/common';
import { In, LessThan, Not, Repository } from 'typeorm';
import { Endpoint, EndpointStatus } from '../entities/endpoint.entity';

@Injectable()
export class EndpointRepository {
  private readonly byId: IdLoader<Endpoint, string>;

  constructor(@InjectRepository(Endpoint) private readonly endpoints: Repository<Endpoint>) {
    this.byId = new IdLoader((ids) => this.endpoints.findBy({ id: In(ids) }), (row, projectId) => row.projectId === projectId);
  }

  findById(projectId: string, endpointId: string): Promise<Endpoint | null> {
    return this.byId.load(endpointId, projectId);
  }

  findByIds(projectId: string, endpointIds: string[], ownerId?: string): Promise<Endpoint[]> {
    if (endpointIds.length === 0) return Promise.resolve([]);
    return this.endpoints.findBy({ projectId, id: In(endpointIds), ...(ownerId ? { ownerId } : {}) });
  }

  async idsOfOwner(projectId: string, ownerId: string): Promise<string[]> {
    const rows = await this.endpoints.find({ select: { id: true }, where: { projectId, ownerId } });
    return rows.map((row) => row.id);
  }

  listPage(projectId: string, page: PageRequest, ownerId?: string): Promise<Endpoint[]> {
    return this.endpoints.find({
      where: {
        projectId,
        ...(ownerId ? { ownerId } : {}),
        ...(page.beforeId ? { id: LessThan(page.beforeId) } : {}),
      },
      order: { id: 'DESC' },
      take: page.limit + 1,
    });
  }

  async idsNotActive(): Promise<string[]> {
    const rows = await this.endpoints.find({ select: { id: true }, where: { status: Not('active') } });
    return rows.map((row) => row.id);
  }

  save(endpoint: Endpoint): Promise<Endpoint> {
    return this.endpoints.save(endpoint);
  }

  async setStatus(projectId: string, endpointId: string, status: EndpointStatus): Promise<boolean> {
    const result = await this.endpoints.update(
      { projectId, id: endpointId },
      { status, ...(status === 'active' ? { disabledReason: null, disabledAt: null } : {}) },
    );
    return (result.affected ?? 0) > 0;
  }

  /** Sets an active endpoint inactive with the reason; a paused one stays paused. True when it changed. */
  async disable(projectId: string, endpointId: string, reason: string): Promise<boolean> {
    const result = await this.endpoints.update(
      { projectId, id: endpointId, status: 'active' },
      { status: 'inactive', disabledReason: reason, disabledAt: () => 'now()' },
    );
    return (result.affected ?? 0) > 0;
  }

  async delete(projectId: string, endpointId: string): Promise<boolean> {
    const result = await this.endpoints.delete({ projectId, id: endpointId });
    return (result.affected ?? 0) > 0;
  }
}
