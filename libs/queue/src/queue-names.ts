/** Every queue Caravan uses. The agent refuses to boot when one has no processor or two. */
export enum QueueName {
  /** Match events to endpoints and create their deliveries: one job per batch of events stored together. */
  Routing = 'routing',
  /** One job per delivery attempt that the routing agent did not send itself (retries, resends, held-back and overflowing attempts). */
  Delivery = 'delivery',
  /** Long-running operator work, such as resending every delivery a filter selects. */
  Maintenance = 'maintenance',
  /** One job per meta event attempt: send it to the project's meta endpoint and record the attempt. */
  MetaEvents = 'meta-events',
}

/**
 * What ties a job to the trace of the request that caused it: the W3C `traceparent` of the span that
 * queued it (the ingest span for routing, the routing span for a first attempt). Absent when tracing
 * is off, or when the sweeper recreated the job from Postgres (its attempt then starts a new trace).
 */
export interface TracedJob {
  traceparent?: string;
}

export interface RouteEventJob extends TracedJob {
  projectId: string;
  eventId: string;
  /**
   * Set when the api routed the event as it stored it: its deliveries, created claimed for their
   * first attempts at `claimedAt` (Date.now() of the api), for the agent to send.
   */
  routed?: { claimedAt: number; deliveries: RoutedDelivery[] };
}

export interface RoutedDelivery {
  id: string;
  endpointId: string;
  subscriptionId: string | null;
}

/**
 * The events one ingest flush stored, routed by one job: BullMQ spends about 45 Redis commands on
 * a job whatever it carries, more than the rest of routing and delivering an event.
 */
export interface RouteEventsJob {
  events: RouteEventJob[];
}

/** What a routing job carries: one event (jobs the sweeper queues, or queued before batches), or several. */
export type RoutingJob = RouteEventJob | RouteEventsJob;

/** The events of a routing job, whichever shape it has. */
export function eventsOf(job: RoutingJob): RouteEventJob[] {
  return 'events' in job ? job.events : [job];
}

export interface DeliverJob extends TracedJob {
  projectId: string;
  deliveryId: string;
  endpointId: string;
  /** The attempt this job is for; part of the job id so each attempt is enqueued once. */
  attempt: number;
  /** Set when the job waited for a rate-limit slot it reserved: it must not reserve another. */
  rateLimitSlotReserved?: boolean;
}

export interface SendMetaEventJob {
  projectId: string;
  metaEventId: string;
  /** The attempt this job is for; part of the job id so each attempt is enqueued once. */
  attempt: number;
}

/** The jobs of the Maintenance queue; its processor has one handler per name. */
export enum MaintenanceJobName {
  BatchRetry = 'batch-retry',
}

/** Which deliveries a batch retry resends; plain JSON, as it travels through Redis. */
export interface BatchRetryFilter {
  status: string[];
  endpointId?: string;
  eventType?: string;
  /** RFC 3339; deliveries created at or after. */
  createdAfter?: string;
  /** RFC 3339; deliveries created before. */
  createdBefore?: string;
}

export interface BatchRetryJob {
  projectId: string;
  batchId: string;
  filter: BatchRetryFilter;
}
