import { Injectable } from '@nestjs/common';
import { Endpoint } from '../../entities/endpoint.entity';
import { EndpointRepository } from '../../repositories/endpoint.repository';
import { GetEndpoint } from '../get-endpoint/get-endpoint.usecase';

@Injectable()
export class ActivateEndpoint {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly getEndpoint: GetEndpoint,
  ) {}

  async execute(projectId: string, endpointId: string): Promise<Endpoint> {
    await this.endpoints.setStatus(projectId, endpointId, 'active');
    return this.getEndpoint.execute(projectId, endpointId);
  }
}
