import { Injectable, Logger } from '@nestjs/common';
import { EmitMetaEvent } from '@caravan/meta-events';
import { presentEndpoint } from '../../dtos/endpoint.dto';
import { EndpointRepository } from '../../repositories/endpoint.repository';

/**
 * Caravan's own decision to stop sending to an endpoint that keeps failing. Its deliveries wait,
 * and activating the endpoint sends them. The project's meta endpoint is told (endpoint.disabled).
 */
@Injectable()
export class DisableEndpoint {
  private readonly logger = new Logger(DisableEndpoint.name);

  constructor(
    private readonly endpoints: EndpointRepository,
    private readonly metaEvents: EmitMetaEvent,
  ) {}

  async execute(projectId: string, endpointId: string, reason: string): Promise<boolean> {
    const disabled = await this.endpoints.disable(projectId, endpointId, reason);
    if (!disabled) return false;
    this.logger.warn(`endpoint ${endpointId} of project ${projectId} set inactive: ${reason}`);
    await this.metaEvents.execute(projectId, 'endpoint.disabled', async () => {
      const endpoint = await this.endpoints.findById(projectId, endpointId);
      return endpoint && presentEndpoint(endpoint);
    });
    return true;
  }
}
