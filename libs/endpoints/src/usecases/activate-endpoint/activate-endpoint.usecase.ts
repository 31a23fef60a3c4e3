import { Injectable } from '@nestjs/common';
import { EmitMetaEvent } from '@caravan/meta-events';
import { presentEndpoint } from '../../dtos/endpoint.dto';
import { Endpoint } from '../../entities/endpoint.entity';
import { EndpointRepository } from '../../repositories/endpoint.repository';
import { GetEndpoint } from '../get-endpoint/get-endpoint.usecase';

@Injectable()
export class ActivateEndpoint {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly getEndpoint: GetEndpoint,
    private readonly metaEvents: EmitMetaEvent,
  ) {}

  async execute(projectId: string, endpointId: string): Promise<Endpoint> {
    await this.endpoints.setStatus(projectId, endpointId, 'active');
    const endpoint = await this.getEndpoint.execute(projectId, endpointId);
    await this.metaEvents.execute(projectId, 'endpoint.updated', presentEndpoint(endpoint));
    return endpoint;
  }
}
