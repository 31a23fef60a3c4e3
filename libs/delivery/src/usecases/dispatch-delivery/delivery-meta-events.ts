import { Injectable } from '@nestjs/common';
import { EmitMetaEvent } from '@caravan/meta-events';
import { ProjectConfig } from '@caravan/projects';
import type { ClaimedDelivery, DeliveryOutcome } from '../../repositories/delivery.repository';

/** The delivery as eventdelivery.* meta events report it. */
export interface FinishedDelivery {
  id: string;
  project_id: string;
  event_id: string;
  event_type: string;
  endpoint_id: string;
  subscription_id: string | null;
  status: 'success' | 'failure';
  attempt_count: number;
  last_status_code: number | null;
  last_error: string | null;
}

/**
 * Tells the project's meta endpoint that a delivery reached its final state. On the dispatch hot
 * path: with the project's config in hand, a project without meta events costs no I/O at all.
 */
@Injectable()
export class DeliveryMetaEvents {
  constructor(private readonly emit: EmitMetaEvent) {}

  async deliveryFinished(config: ProjectConfig, claimed: ClaimedDelivery, eventType: string, outcome: DeliveryOutcome): Promise<void> {
    if (outcome.status === 'retry') return;
    const delivery: FinishedDelivery = {
      id: claimed.id,
      project_id: claimed.projectId,
      event_id: claimed.eventId,
      event_type: eventType,
      endpoint_id: claimed.endpointId,
      subscription_id: claimed.subscriptionId,
      status: outcome.status,
      attempt_count: claimed.attemptCount,
      last_status_code: outcome.lastStatusCode,
      last_error: outcome.lastError,
    };
    const type = outcome.status === 'success' ? 'eventdelivery.success' : 'eventdelivery.failed';
    await this.emit.withConfig(claimed.projectId, config, type, delivery);
  }
}
