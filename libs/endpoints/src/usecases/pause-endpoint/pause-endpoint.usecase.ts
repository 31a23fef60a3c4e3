import { Injectable } from '@nestjs/common';
import { Endpoint } from '../../entities/endpoint.entity';
import { EndpointRepository } from '../../repositories/endpoint.repository';
import { GetEndpoint } from '../get-endpoint/get-endpoint.usecase';

/** A paused endpoint keeps receiving deliveries into its backlog; none is sent until it is activated. */
@Injectable()
export class PauseEndpoint {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly getEndpoint: GetEndpoint,
  ) {}

  async execute(projectId: string, endpointId: string): Promise<Endpoint> {
    await this.endpoints.setStatus(projectId, endpointId, 'paused');
    return this.getEndpoint.execute(projectId, endpointId);
  }
}
