import { Injectable } from '@nestjs/common';
import { EmitMetaEvent } from '@caravan/meta-events';
import { GetProject } from '@caravan/projects';
import { ExpireSecretDto, presentEndpoint } from '../../dtos/endpoint.dto';
import { EndpointCredentials } from '../../endpoint-credentials';
import { generateEndpointSecret, rotateSecrets, assertSecretFitsScheme } from '../../endpoint-secret';
import { Endpoint } from '../../entities/endpoint.entity';
import { EndpointRepository } from '../../repositories/endpoint.repository';
import { GetEndpoint } from '../get-endpoint/get-endpoint.usecase';

/**
 * Rotates an endpoint's secret without downtime: a new current secret signs from now on, and the
 * old ones keep signing beside it for `expiration_hours` (schemes that carry several signatures
 * send one per active secret), so receivers can switch in their own time.
 */
@Injectable()
export class ExpireEndpointSecret {
  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly getEndpoint: GetEndpoint,
    private readonly credentials: EndpointCredentials,
    private readonly getProject: GetProject,
    private readonly metaEvents: EmitMetaEvent,
  ) {}

  async execute(projectId: string, endpointId: string, command: ExpireSecretDto): Promise<Endpoint> {
    const endpoint = await this.getEndpoint.execute(projectId, endpointId);
    if (command.secret)
      assertSecretFitsScheme(
        command.secret,
        (await this.getProject.execute(projectId)).config.signature.scheme,
      );
    const now = new Date();
    const expiresAt = new Date(now.getTime() + command.expiration_hours * 3600 * 1000);
    const sealed = this.credentials.sealSecret(command.secret ?? generateEndpointSecret());
    endpoint.secrets = rotateSecrets(endpoint.secrets, sealed, expiresAt, now);
    const saved = await this.endpoints.save(endpoint);
    await this.metaEvents.execute(projectId, 'endpoint.updated', presentEndpoint(saved));
    return saved;
  }
}
