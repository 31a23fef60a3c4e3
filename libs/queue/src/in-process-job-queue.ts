import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { batchRetryJobId, DelayedDeliverJob, DelayedSendMetaEventJob, deliverJobId, JobQueue, routeEventJobId, sendMetaEventJobId } from './job-queue';
import { Deferral, JOB_ATTEMPTS, JOB_BACKOFF_MS, JobHandler, QueuedJob } from './job-handler';
import { BatchRetryJob, DeliverJob, MaintenanceJobName, QueueName, RouteEventJob, SendMetaEventJob } from './queue-names';

// Jobs still running at shutdown get this long to finish; an attempt cut short is found again by the sweeper.
const DRAIN_TIMEOUT_MS = 10_000;

interface Entry {
  id: string;
  name: string;
  data: unknown;
  progress: unknown;
  failures: number;
  timer?: NodeJS.Timeout;
  /** When it last became due: how long it has waited for a worker, for the queue metrics. */
  dueSince?: number;
}

/** One queue: jobs by id (so an id queued twice runs once), a FIFO of those due, and timers for the rest. */
class Lane {
  readonly jobs = new Map<string, Entry>();
  private due: Entry[] = [];
  private head = 0;
  private active = new Set<Promise<void>>();
  private handler?: JobHandler;
  private concurrency = 1;
  private closed = false;

  constructor(
    private readonly name: QueueName,
    private readonly logger: Logger,
  ) {}

  add(id: string, name: string, data: unknown, delayMs = 0): void {
    if (this.closed || this.jobs.has(id)) return;
    const entry: Entry = { id, name, data, progress: 0, failures: 0 };
    this.jobs.set(id, entry);
    this.schedule(entry, delayMs);
  }

  /** Runs a job now if it is waiting out a delay; answers whether it was. */
  promote(id: string): boolean {
    const entry = this.jobs.get(id);
    if (!entry?.timer) return false;
    clearTimeout(entry.timer);
    entry.timer = undefined;
    this.enqueueDue(entry);
    return true;
  }

  work(handler: JobHandler, concurrency: number): void {
    if (this.handler) throw new Error(`queue "${this.name}" already has a handler`);
    this.handler = handler;
    this.concurrency = concurrency;
    this.pump();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.jobs.values()) clearTimeout(entry.timer);
    const drained = Promise.all([...this.active]);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, DRAIN_TIMEOUT_MS)));
    await Promise.race([drained, timeout]).finally(() => clearTimeout(timer));
  }

  counts(): { waiting: number; delayed: number; active: number } {
    const waiting = this.due.length - this.head;
    return { waiting, delayed: this.jobs.size - waiting - this.active.size, active: this.active.size };
  }

  private schedule(entry: Entry, delayMs: number): void {
    if (delayMs > 0) {
      entry.timer = setTimeout(() => {
        entry.timer = undefined;
        this.enqueueDue(entry);
      }, Math.ceil(delayMs));
    } else {
      this.enqueueDue(entry);
    }
  }

  /** When the job that has waited longest for a worker became due; null when none waits. */
  oldestDueSince(): number | null {
    return this.head < this.due.length ? (this.due[this.head].dueSince ?? null) : null;
  }

  private enqueueDue(entry: Entry): void {
    entry.dueSince = Date.now();
    this.due.push(entry);
    this.pump();
  }

  private next(): Entry | undefined {
    if (this.head >= this.due.length) return undefined;
    const entry = this.due[this.head++];
    // Drop the consumed prefix now and then, so the array does not grow for ever.
    if (this.head > 1024 && this.head * 2 > this.due.length) {
      this.due = this.due.slice(this.head);
      this.head = 0;
    }
    return entry;
  }

  private pump(): void {
    while (this.handler && !this.closed && this.active.size < this.concurrency) {
      const entry = this.next();
      if (!entry) return;
      const running: Promise<void> = this.run(this.handler, entry).finally(() => {
        this.active.delete(running);
        this.pump();
      });
      this.active.add(running);
    }
  }

  private async run(handler: JobHandler, entry: Entry): Promise<void> {
    try {
      const result = await handler.handle(this.view(entry));
      if (result instanceof Deferral) {
        entry.data = result.data;
        if (!this.closed) return this.schedule(entry, result.delayMs);
      }
      this.jobs.delete(entry.id);
    } catch (error) {
      entry.failures += 1;
      if (entry.failures < JOB_ATTEMPTS && !this.closed) return this.schedule(entry, JOB_BACKOFF_MS * 2 ** (entry.failures - 1));
      this.jobs.delete(entry.id);
      this.logger.warn(`${this.name} job ${entry.id} failed ${entry.failures} time(s), dropped: ${(error as Error)?.message ?? error}`);
    }
  }

  private view(entry: Entry): QueuedJob {
    return {
      id: entry.id,
      name: entry.name,
      data: entry.data,
      progress: entry.progress,
      saveProgress: async (progress) => {
        entry.progress = progress;
      },
    };
  }
}

/**
 * The queue of the embedded mode: api and agent share one process, so jobs are plain objects in
 * memory. Nothing is lost with them on a crash: Postgres holds what is owed, and the sweeper
 * queues it again after a restart, exactly as it does when Redis loses jobs.
 */
@Injectable()
export class InProcessJobQueue extends JobQueue implements BeforeApplicationShutdown {
  private readonly logger = new Logger('InProcessJobQueue');
  private readonly lanes = Object.fromEntries(
    Object.values(QueueName).map((name) => [name, new Lane(name, this.logger)]),
  ) as Record<QueueName, Lane>;

  /** Starts running a queue's jobs with its handler; called once per queue by the agent. */
  work(queue: QueueName, handler: JobHandler, concurrency: number): void {
    this.lanes[queue].work(handler, concurrency);
  }

  counts(queue: QueueName): { waiting: number; delayed: number; active: number } {
    return this.lanes[queue].counts();
  }

  oldestDueSince(queue: QueueName): number | null {
    return this.lanes[queue].oldestDueSince();
  }

  async routeEvents(jobs: RouteEventJob[]): Promise<void> {
    for (const job of jobs) this.lanes[QueueName.Routing].add(routeEventJobId(job), QueueName.Routing, job);
  }

  async deliver(jobs: DelayedDeliverJob[]): Promise<void> {
    for (const { delayMs, ...job } of jobs) this.lanes[QueueName.Delivery].add(deliverJobId(job), QueueName.Delivery, job, delayMs);
  }

  async ping(): Promise<void> {}

  async deliverEarly(jobs: DeliverJob[]): Promise<void> {
    const lane = this.lanes[QueueName.Delivery];
    for (const job of jobs) {
      const id = deliverJobId(job);
      if (!lane.promote(id)) lane.add(id, QueueName.Delivery, job);
    }
  }

  async startBatchRetry(job: BatchRetryJob): Promise<void> {
    this.lanes[QueueName.Maintenance].add(batchRetryJobId(job), MaintenanceJobName.BatchRetry, job);
  }

  async sendMetaEvents(jobs: DelayedSendMetaEventJob[]): Promise<void> {
    for (const { delayMs, ...job } of jobs)
      this.lanes[QueueName.MetaEvents].add(sendMetaEventJobId(job), QueueName.MetaEvents, job, delayMs);
  }

  async sendMetaEventsEarly(jobs: SendMetaEventJob[]): Promise<void> {
    const lane = this.lanes[QueueName.MetaEvents];
    for (const job of jobs) {
      const id = sendMetaEventJobId(job);
      if (!lane.promote(id)) lane.add(id, QueueName.MetaEvents, job);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(Object.values(this.lanes).map((lane) => lane.close()));
  }
}
