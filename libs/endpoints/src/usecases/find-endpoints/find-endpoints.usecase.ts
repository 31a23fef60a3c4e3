import { Injectable } from '@nestjs/common';
import { Endpoint } from '../../entities/endpoint.entity';
import { EndpointRepository } from '../../repositories/endpoint.repository';

/** Reads endpoints for the data plane (routing and the sweeper) and for other contexts' searches. */
@Injectable()
export class FindEndpoints {
  constructor(private readonly endpoints: EndpointRepository) {}

  byIds(projectId: string, endpointIds: string[], ownerId?: string): Promise<Endpoint[]> {
    return this.endpoints.findByIds(projectId, endpointIds, ownerId);
  }

  byId(projectId: string, endpointId: string): Promise<Endpoint | null> {
    return this.endpoints.findById(projectId, endpointId);
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
