import { Injectable } from '@nestjs/common';
import { Page, PageRequest, toPage } from '@caravan/common';
import { EndpointResponse, presentEndpoint } from '../../dtos/endpoint.dto';
import { EndpointRepository } from '../../repositories/endpoint.repository';

@Injectable()
export class ListEndpoints {
  constructor(private readonly endpoints: EndpointRepository) {}

  async execute(projectId: string, page: PageRequest, ownerId?: string): Promise<Page<EndpointResponse>> {
    return toPage(await this.endpoints.listPage(projectId, page, ownerId), page, presentEndpoint);
  }
}
