import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { batchRetryJobId, DelayedDeliverJob, DelayedSendMetaEventJob, deliverJobId, JobQueue, routeEventJobId, routeEventsJobId, sendMetaEventJobId } from './job-queue';
import { RoutedHandoff } from './routed-handoff';
import { BatchRetryJob, DeliverJob, MaintenanceJobName, QueueName, RouteEventJob, RouteEventsJob, SendMetaEventJob } from './queue-names';

// Redis commands wait for a connection rather than fail; a caller that has already made the
// work durable in Postgres must not hang on a nudge the sweeper can give later.
const ENQUEUE_TIMEOUT_MS = 2000;
/** Events per routing job: the agent routes a job's events side by side. */
const ROUTING_BATCH = 100;

export class QueueUnavailableError extends Error {}

function within<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueueUnavailableError(`${what}: Redis did not answer in ${ENQUEUE_TIMEOUT_MS} ms`)), ENQUEUE_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

@Injectable()
export class BullMqJobQueue extends JobQueue {
  constructor(
    @InjectQueue(QueueName.Routing) private readonly routing: Queue,
    @InjectQueue(QueueName.Delivery) private readonly delivery: Queue,
    @InjectQueue(QueueName.Maintenance) private readonly maintenance: Queue,
    @InjectQueue(QueueName.MetaEvents) private readonly metaEvents: Queue,
    private readonly handoff: RoutedHandoff,
  ) {
    super();
  }

  /**
   * Events the api routed as it stored them go on the RoutedHandoff; the others, given together,
   * go in jobs of up to ROUTING_BATCH events.
   */
  async routeEvents(jobs: RouteEventJob[]): Promise<void> {
    const routed = jobs.filter((job) => job.routed);
    const unrouted = routed.length === 0 ? jobs : jobs.filter((job) => !job.routed);
    await Promise.all([
      routed.length > 0 ? within(this.handoff.push(routed), 'handing routed events to the agents') : undefined,
      this.queueRouting(unrouted),
    ]);
  }

  private async queueRouting(jobs: RouteEventJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const batches: RouteEventJob[][] = [];
    for (let i = 0; i < jobs.length; i += ROUTING_BATCH) batches.push(jobs.slice(i, i + ROUTING_BATCH));
    await within(
      this.routing.addBulk(
        batches.map((events) =>
          events.length === 1
            ? { name: QueueName.Routing, data: events[0], opts: { jobId: routeEventJobId(events[0]) } }
            : { name: QueueName.Routing, data: { events } satisfies RouteEventsJob, opts: { jobId: routeEventsJobId(events) } },
        ),
      ),
      'queueing routing jobs',
    );
  }

  async deliver(jobs: DelayedDeliverJob[]): Promise<void> {
    await this.addDelayed(this.delivery, jobs, deliverJobId, 'queueing delivery jobs');
  }

  async ping(): Promise<void> {
    await within(this.routing.getJobCounts('wait'), 'pinging Redis');
  }

  async deliverEarly(jobs: DeliverJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await within(this.addOrPromote(this.delivery, jobs, deliverJobId), 'queueing delivery jobs');
  }

  async startBatchRetry(job: BatchRetryJob): Promise<void> {
    await within(
      this.maintenance.add(MaintenanceJobName.BatchRetry, job, { jobId: batchRetryJobId(job) }),
      'queueing a batch retry',
    );
  }

  async sendMetaEvents(jobs: DelayedSendMetaEventJob[]): Promise<void> {
    await this.addDelayed(this.metaEvents, jobs, sendMetaEventJobId, 'queueing meta event jobs');
  }

  async sendMetaEventsEarly(jobs: SendMetaEventJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await within(this.addOrPromote(this.metaEvents, jobs, sendMetaEventJobId), 'queueing meta event jobs');
  }

  /** Jobs named after the queue, each waiting out its own delay, if any. */
  private async addDelayed<D extends { delayMs?: number }>(queue: Queue, jobs: D[], jobId: (job: Omit<D, 'delayMs'>) => string, what: string): Promise<void> {
    if (jobs.length === 0) return;
    await within(
      queue.addBulk(
        jobs.map(({ delayMs, ...job }) => ({
          name: queue.name,
          data: job,
          opts: { jobId: jobId(job), delay: delayMs && delayMs > 0 ? Math.ceil(delayMs) : undefined },
        })),
      ),
      what,
    );
  }

  private async addOrPromote<T extends object>(queue: Queue, jobs: T[], jobId: (job: T) => string): Promise<void> {
    const ids = jobs.map(jobId);
    await queue.addBulk(jobs.map((job, i) => ({ name: queue.name, data: job, opts: { jobId: ids[i] } })));
    await Promise.all(
      ids.map(async (id) => {
        const job = await queue.getJob(id);
        // Its delay may end in between: promote then refuses a job no longer delayed, harmlessly.
        if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
      }),
    );
  }
}
