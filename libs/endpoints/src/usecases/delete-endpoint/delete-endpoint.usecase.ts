import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { EmitMetaEvent } from '@caravan/meta-events';
import { presentEndpoint } from '../../dtos/endpoint.dto';
import { EndpointRepository } from '../../repositories/endpoint.repository';

/** Deletes the endpoint, its subscriptions and its deliveries. Events stay. */
@Injectable()
export class DeleteEndpoint {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly metaEvents: EmitMetaEvent,
  ) {}

  async execute(projectId: string, endpointId: string): Promise<void> {
    // The meta event reports the endpoint as it was, so it is read first, and only when wanted.
    const deleted = (await this.metaEvents.wants(projectId, 'endpoint.deleted'))
      ? await this.endpoints.findById(projectId, endpointId)
      : null;
    if (!(await this.endpoints.delete(projectId, endpointId)))
      throw NotFoundError.of('endpoint', 'endpoint_id');
    if (deleted) await this.metaEvents.execute(projectId, 'endpoint.deleted', presentEndpoint(deleted));
  }
}
