import { Injectable } from '@nestjs/common';
import { EndpointSecretResponse } from '../../dtos/endpoint.dto';
import { EndpointCredentials } from '../../endpoint-credentials';
import { currentSecret } from '../../endpoint-secret';
import { GetEndpoint } from '../get-endpoint/get-endpoint.usecase';

/** The one call that reveals an endpoint's signing secret. */
@Injectable()
export class GetEndpointSecret {
  constructor(
    private readonly getEndpoint: GetEndpoint,
    private readonly credentials: EndpointCredentials,
  ) {}

  async execute(projectId: string, endpointId: string): Promise<EndpointSecretResponse> {
    const endpoint = await this.getEndpoint.execute(projectId, endpointId);
    const secret = currentSecret(endpoint.secrets);
    return {
      secret: secret ? this.credentials.openSecret(secret) : '',
      expires_at: secret?.expires_at ?? null,
    };
  }
}
