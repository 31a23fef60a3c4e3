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
