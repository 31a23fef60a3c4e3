import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { Endpoint } from '../../entities/endpoint.entity';
import { EndpointRepository } from '../../repositories/endpoint.repository';

@Injectable()
export class GetEndpoint {
  constructor(private readonly endpoints: EndpointRepository) {}

  /** `field` names the request field that carried the id, for the 404 body. */
  async execute(projectId: string, endpointId: string, field = 'endpoint_id'): Promise<Endpoint> {
    const endpoint = await this.endpoints.findById(projectId, endpointId);
    if (!endpoint) throw NotFoundError.of('endpoint', field);
    return endpoint;
  }
}
