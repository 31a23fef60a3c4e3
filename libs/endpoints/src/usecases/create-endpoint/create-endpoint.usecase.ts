import { Inject, Injectable } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig, newId } from '@caravan/common';
import { EgressGuard } from '@caravan/egress';
import { EmitMetaEvent } from '@caravan/meta-events';
import { GetProject } from '@caravan/projects';
import { presentEndpoint } from '../../dtos/endpoint.dto';
import { CreateEndpointDto } from '../../dtos/endpoint.dto';
import { EndpointCredentials } from '../../endpoint-credentials';
import { assertDeliverableUrl } from '../../endpoint-url';
import { Endpoint } from '../../entities/endpoint.entity';
import { generateEndpointSecret, assertSecretFitsScheme } from '../../endpoint-secret';
import { EndpointRepository } from '../../repositories/endpoint.repository';

@Injectable()
export class CreateEndpoint {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly credentials: EndpointCredentials,
    private readonly getProject: GetProject,
    private readonly guard: EgressGuard,
    private readonly metaEvents: EmitMetaEvent,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  async execute(projectId: string, command: CreateEndpointDto): Promise<Endpoint> {
    assertDeliverableUrl(command.url, this.guard.policy);
    if (command.secret)
      assertSecretFitsScheme(
        command.secret,
        (await this.getProject.execute(projectId)).config.signature.scheme,
      );
    const endpoint = new Endpoint();
    endpoint.id = newId();
    endpoint.projectId = projectId;
    endpoint.url = command.url;
    endpoint.name = command.name ?? command.url;
    endpoint.description = command.description ?? '';
    endpoint.ownerId = command.owner_id ?? null;
    endpoint.status = command.status ?? 'active';
    endpoint.secrets = [
      {
        value: this.credentials.sealSecret(command.secret ?? generateEndpointSecret()),
        created_at: new Date().toISOString(),
        expires_at: null,
      },
    ];
    endpoint.authentication = command.authentication
      ? this.credentials.sealAuthentication(command.authentication)
      : null;
    endpoint.tls = command.tls ? this.credentials.sealClientCertificate(command.tls) : null;
    endpoint.httpTimeoutSeconds = command.http_timeout_seconds ?? this.config.delivery.defaultTimeoutSeconds;
    endpoint.supportEmail = command.support_email ?? null;
    endpoint.rateLimit = command.rate_limit ?? null;
    endpoint.rateLimitDurationSeconds = command.rate_limit
      ? (command.rate_limit_duration_seconds ?? 1)
      : null;
    endpoint.disabledReason = null;
    endpoint.disabledAt = null;
    endpoint.retry = command.retry ? { ...command.retry } : null;
    const saved = await this.endpoints.save(endpoint);
    await this.metaEvents.execute(projectId, 'endpoint.created', presentEndpoint(saved));
    return saved;
  }
}
