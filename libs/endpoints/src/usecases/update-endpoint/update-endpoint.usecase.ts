import { Injectable } from '@nestjs/common';
import { definedFields } from '@caravan/common';
import { EgressGuard } from '@caravan/egress';
import { EmitMetaEvent } from '@caravan/meta-events';
import { presentEndpoint, UpdateEndpointDto } from '../../dtos/endpoint.dto';
import { EndpointCredentials } from '../../endpoint-credentials';
import { assertDeliverableUrl } from '../../endpoint-url';
import { Endpoint } from '../../entities/endpoint.entity';
import { EndpointRepository } from '../../repositories/endpoint.repository';
import { GetEndpoint } from '../get-endpoint/get-endpoint.usecase';

@Injectable()
export class UpdateEndpoint {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly getEndpoint: GetEndpoint,
    private readonly credentials: EndpointCredentials,
    private readonly guard: EgressGuard,
    private readonly metaEvents: EmitMetaEvent,
  ) {}

  async execute(projectId: string, endpointId: string, command: UpdateEndpointDto): Promise<Endpoint> {
    const endpoint = await this.getEndpoint.execute(projectId, endpointId);
    if (command.url !== undefined) {
      assertDeliverableUrl(command.url, this.guard.policy);
      endpoint.url = command.url;
    }
    if (command.name !== undefined) endpoint.name = command.name;
    if (command.description !== undefined) endpoint.description = command.description;
    if (command.owner_id !== undefined) endpoint.ownerId = command.owner_id;
    if (command.http_timeout_seconds !== undefined)
      endpoint.httpTimeoutSeconds = command.http_timeout_seconds;
    if (command.support_email !== undefined) endpoint.supportEmail = command.support_email;
    if (command.rate_limit !== undefined) endpoint.rateLimit = command.rate_limit;
    if (command.rate_limit_duration_seconds !== undefined)
      endpoint.rateLimitDurationSeconds = command.rate_limit_duration_seconds;
    if (endpoint.rateLimit && !endpoint.rateLimitDurationSeconds) endpoint.rateLimitDurationSeconds = 1;
    if (command.authentication !== undefined) {
      endpoint.authentication = command.authentication
        ? this.credentials.sealAuthentication(command.authentication)
        : null;
    }
    if (command.tls !== undefined)
      endpoint.tls = command.tls ? this.credentials.sealClientCertificate(command.tls) : null;
    if (command.retry !== undefined)
      endpoint.retry = command.retry ? { ...endpoint.retry, ...definedFields(command.retry) } : null;
    const saved = await this.endpoints.save(endpoint);
    await this.metaEvents.execute(projectId, 'endpoint.updated', presentEndpoint(saved));
    return saved;
  }
}
