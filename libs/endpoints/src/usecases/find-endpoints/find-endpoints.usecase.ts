import { Injectable } from '@nestjs/common';
import { ConfigChanges, NotifiedCache } from '@caravan/database';
import { Endpoint } from '../../entities/endpoint.entity';
import { EndpointRepository } from '../../repositories/endpoint.repository';

/** Reads endpoints for the data plane (routing and the sweeper) and for other contexts' searches. */
@Injectable()
export class FindEndpoints {
  private readonly knownById: NotifiedCache<Endpoint | null>;

  constructor(
    private readonly endpoints: EndpointRepository,
    changes: ConfigChanges,
  ) {
    this.knownById = new NotifiedCache(changes, (change) => (change.table === 'endpoints' ? change.id : null));
  }

  byIds(projectId: string, endpointIds: string[], ownerId?: string): Promise<Endpoint[]> {
    return this.endpoints.findByIds(projectId, endpointIds, ownerId);
  }

  byId(projectId: string, endpointId: string): Promise<Endpoint | null> {
    return this.endpoints.findById(projectId, endpointId);
  }

  /**
   * For every delivery: kept in memory until the endpoint changes (see NotifiedCache), so a
   * change reaches the deliveries that start a few milliseconds after it commits. Shared by
   * callers: not to be changed.
   */
  async known(projectId: string, endpointId: string): Promise<Endpoint | null> {
    const endpoint = await this.knownById.get(endpointId, () => this.endpoints.findById(projectId, endpointId));
    return endpoint?.projectId === projectId ? endpoint : null;
  }

  /** The ids of an owner's endpoints (the endpoints_owner index), for searching their deliveries. */
  idsOfOwner(projectId: string, ownerId: string): Promise<string[]> {
    return this.endpoints.idsOfOwner(projectId, ownerId);
  }

  /** Paused and inactive endpoints across all projects; their deliveries wait. Usually a short list. */
  idsNotActive(): Promise<string[]> {
    return this.endpoints.idsNotActive();
  }
}
