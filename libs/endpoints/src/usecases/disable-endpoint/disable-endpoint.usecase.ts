import { Injectable, Logger } from '@nestjs/common';
import { EndpointRepository } from '../../repositories/endpoint.repository';

/**
 * Caravan's own decision to stop sending to an endpoint that keeps failing. Its deliveries wait,
 * and activating the endpoint sends them.
 */
@Injectable()
export class DisableEndpoint {
  private readonly logger = new Logger(DisableEndpoint.name);

  constructor(private readonly endpoints: EndpointRepository) {}

  async execute(projectId: string, endpointId: string, reason: string): Promise<boolean> {
    const disabled = await this.endpoints.disable(projectId, endpointId, reason);
    if (disabled) this.logger.warn(`endpoint ${endpointId} of project ${projectId} set inactive: ${reason}`);
    return disabled;
  }
}
