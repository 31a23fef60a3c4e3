import type { BatchRetryJob, DeliverJob, RouteEventJob, SendMetaEventJob } from './queue-names';

export interface DelayedDeliverJob extends DeliverJob {
  delayMs?: number;
}

export interface DelayedSendMetaEventJob extends SendMetaEventJob {
  delayMs?: number;
}

/**
 * The port producers use. Job ids are deterministic, so enqueueing the same work twice
 * (a retry of a request, the sweeper finding it again) runs it once.
 */
export abstract class JobQueue {
  /** Events to route, or (`routed`) whose first attempts to start; on Redis the latter skip BullMQ. */
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
  /** Queues meta event attempts on the MetaEvents queue. */
  abstract sendMetaEvents(jobs: DelayedSendMetaEventJob[]): Promise<void>;
  /** As deliverEarly, for meta events: a job of the same id waiting out a delay runs now instead. */
  abstract sendMetaEventsEarly(jobs: SendMetaEventJob[]): Promise<void>;
}

export function routeEventJobId(job: RouteEventJob): string {
  return `e_${job.eventId}`;
}

/** Named after its first event and its size: the same batch queued twice runs once. */
export function routeEventsJobId(events: RouteEventJob[]): string {
  return `r_${events[0].eventId}_${events.length}`;
}

export function deliverJobId(job: DeliverJob): string {
  return `d_${job.deliveryId}_${job.attempt}`;
}

export function batchRetryJobId(job: BatchRetryJob): string {
  return `b_${job.batchId}`;
}

export function sendMetaEventJobId(job: SendMetaEventJob): string {
  return `m_${job.metaEventId}_${job.attempt}`;
}
