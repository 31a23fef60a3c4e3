import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { EndpointRepository } from '../../repositories/endpoint.repository';

/** Deletes the endpoint, its subscriptions and its deliveries. Events stay. */
@Injectable()
export class DeleteEndpoint {
  constructor(private readonly endpoints: EndpointRepository) {}

  async execute(projectId: string, endpointId: string): Promise<void> {
    if (!(await this.endpoints.delete(projectId, endpointId)))
      throw NotFoundError.of('endpoint', 'endpoint_id');
  }
}
