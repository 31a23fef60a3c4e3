import type { BatchRetryJob, DeliverJob, RouteEventJob } from './queue-names';

export interface DelayedDeliverJob extends DeliverJob {
  delayMs?: number;
}

/**
 * The port producers use. Job ids are deterministic, so enqueueing the same work twice
 * (a retry of a request, the sweeper finding it again) runs it once.
 */
export abstract class JobQueue {
  abstract routeEvents(jobs: RouteEventJob[]): Promise<void>;
  abstract deliver(jobs: DelayedDeliverJob[]): Promise<void>;
  /** Round trip to the queue's store, for readiness probes. */
  abstract ping(): Promise<void>;
  /**
   * Queues attempts whose retry delay was cut short. Adding a job id that exists is a no-op, so a
   * job of the same id still waiting out that delay is promoted to run now instead.
   */
  abstract deliverEarly(jobs: DeliverJob[]): Promise<void>;
  /** Queues a batch retry on the Maintenance queue; the job id is the batch id. */
  abstract startBatchRetry(job: BatchRetryJob): Promise<void>;
}

export function routeEventJobId(job: RouteEventJob): string {
  return `e_${job.eventId}`;
}

export function deliverJobId(job: DeliverJob): string {
  return `d_${job.deliveryId}_${job.attempt}`;
}

export function batchRetryJobId(job: BatchRetryJob): string {
  return `b_${job.batchId}`;
}
