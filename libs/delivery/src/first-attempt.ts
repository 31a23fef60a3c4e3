import type { DeliverJob } from '@caravan/queue';
import type { ClaimedDelivery } from './repositories/delivery.repository';

/**
 * The first attempt of a delivery that routing created already claimed, so that it goes out
 * with no claim statement of its own. Whoever holds it sends it, or hands the claim back
 * (HandBackFirstAttempts): nothing else can send it until the claim's lock runs out.
 */
export interface ClaimedFirstAttempt {
  job: DeliverJob;
  claimed: ClaimedDelivery;
  /** When the claim was made (Date.now()). */
  claimedAt: number;
}

/** The first attempts of an event's deliveries, created claimed at `claimedAt` (by routing, here or in the api). */
export function claimedFirstAttempts(
  event: { projectId: string; eventId: string; traceparent?: string },
  deliveries: { id: string; endpointId: string; subscriptionId: string | null }[],
  claimedAt: number,
): ClaimedFirstAttempt[] {
  const { projectId, eventId, traceparent } = event;
  return deliveries.map((delivery) => ({
    job: { projectId, deliveryId: delivery.id, endpointId: delivery.endpointId, attempt: 1, traceparent },
    claimed: { ...delivery, projectId, eventId, attemptCount: 1 },
    claimedAt,
  }));
}
