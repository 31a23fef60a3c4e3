import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Caravan metric of this process, served at GET /metrics in the Prometheus text format.
 * Labels are bounded: project and source ids (one series per project or source: fine for
 * hundreds, a cardinality risk for very many tenants), statuses, reasons and queue names; never
 * an endpoint, event or delivery id.
 */
export const metricsRegistry = new Registry();

const registers = [metricsRegistry];

/** A gauge read when Prometheus scrapes, from whatever the running process registers with sampleWith. */
export class ScrapedGauge<L extends string> {
  private sampler: (() => Promise<{ labels: Partial<Record<L, string>>; value: number }[]>) | null = null;
  readonly gauge: Gauge<L>;

  constructor(name: string, help: string, labelNames: readonly L[]) {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const owner = this;
    this.gauge = new Gauge<L>({
      name,
      help,
      labelNames,
      registers,
      async collect() {
        if (!owner.sampler) return;
        const samples = await owner.sampler().catch(() => null);
        // A store that cannot be read is left out of this scrape rather than reported as zero.
        this.reset();
        for (const sample of samples ?? []) this.set(sample.labels, sample.value);
      },
    });
  }

  /** The last one registered wins: one process has one queue and one breaker store. */
  sampleWith(sampler: () => Promise<{ labels: Partial<Record<L, string>>; value: number }[]>): void {
    this.sampler = sampler;
  }
}

// Attempt latencies: a local receiver answers in ~1 ms, a slow one within the 30 s default timeout.
const ATTEMPT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
// Event to delivered: from milliseconds on a quiet system to hours for a delivery that needed retries.
const END_TO_END_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

export const caravanMetrics = {
  eventsIngested: new Counter({
    name: 'caravan_events_ingested_total',
    help: 'Events stored, by project and by source (a source id, or "api" for the events API). Idempotent replays are not counted.',
    labelNames: ['project_id', 'source'] as const,
    registers,
  }),
  deliveries: new Counter({
    name: 'caravan_deliveries_total',
    help: 'Deliveries that reached a final status: success, or failure (retries exhausted, not retryable, or blocked).',
    labelNames: ['status'] as const,
    registers,
  }),
  attemptDuration: new Histogram({
    name: 'caravan_delivery_attempt_duration_seconds',
    help: 'Duration of each delivery attempt (the HTTP request), by result: 2xx, 3xx, 4xx, 5xx, or error (timeout, connection error, blocked).',
    labelNames: ['result'] as const,
    buckets: ATTEMPT_BUCKETS,
    registers,
  }),
  endToEnd: new Histogram({
    name: 'caravan_delivery_end_to_end_seconds',
    help: 'From the event being stored to a delivery of it succeeding, retries included.',
    buckets: END_TO_END_BUCKETS,
    registers,
  }),
  deferrals: new Counter({
    name: 'caravan_delivery_deferrals_total',
    help: 'Delivery jobs put back without an attempt: rate-limited (the endpoint rate limit) or circuit-open.',
    labelNames: ['reason'] as const,
    registers,
  }),
  egressBlocked: new Counter({
    name: 'caravan_delivery_egress_denied_total',
    help: 'Delivery attempts the egress policy refused (in this process, or the egress proxy answering 403).',
    registers,
  }),
  breakerTrips: new Counter({
    name: 'caravan_circuit_breaker_trips_total',
    help: 'Times an endpoint circuit breaker opened, as seen by this process.',
    registers,
  }),
  breakersOpen: new ScrapedGauge(
    'caravan_circuit_breakers_open',
    'Endpoint circuit breakers not closed now, by state (open or half_open). Shared by every agent on Redis: aggregate with max, not sum.',
    ['state'] as const,
  ),
  queueJobs: new ScrapedGauge(
    'caravan_queue_jobs',
    'Jobs in each queue by state (waiting: due, not started; delayed; active). On Redis every process sees the same queues: aggregate with max, not sum.',
    ['queue', 'state'] as const,
  ),
  deliveryBacklog: new ScrapedGauge(
    'caravan_agent_delivery_backlog',
    'First attempts this agent routed and holds until one of its delivery slots is free (they are not in a queue). Per agent: aggregate with sum.',
    [] as const,
  ),
  deliveryBacklogOldest: new ScrapedGauge(
    'caravan_agent_delivery_backlog_oldest_seconds',
    "How long the oldest first attempt in this agent's backlog has waited for a slot (0 when none waits).",
    [] as const,
  ),
  queueOldestWaiting: new ScrapedGauge(
    'caravan_queue_oldest_waiting_seconds',
    'How long the oldest due job of each queue has waited for a worker (0 when none waits).',
    ['queue'] as const,
  ),
};

let processMetrics = false;

/** Node's process metrics (CPU, memory, event loop lag) beside Caravan's; started once, when /metrics is served. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: metricsRegistry });
}
