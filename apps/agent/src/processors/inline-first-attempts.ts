import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig, caravanMetrics } from '@caravan/common';
import { Deferral, DeliverJob, JobQueue, QueueName } from '@caravan/queue';
import { DeliveryProcessor } from './delivery.processor';

/** First attempts waiting for a slot, per delivery slot: enough to keep the slots busy, not a queue. */
const BACKLOG_PER_SLOT = 10;
/** Longest a routing job waits for room in the backlog before it queues its attempts instead. */
const MAX_ROOM_WAIT_MS = 5000;

interface Waiting {
  job: DeliverJob;
  /** When it came into the backlog, for the oldest-wait gauge. */
  since: number;
}

/**
 * Sends the first attempts of the deliveries routing has just created in this process, up to the
 * delivery concurrency at a time, instead of queueing a job for each: a queue hop costs about 45
 * Redis commands, more than the rest of a delivery. Attempts beyond the free slots wait here, in
 * order, in a short backlog; when it is full, routing waits for room (so events wait in the
 * routing queue, where they cost nothing more) and after MAX_ROOM_WAIT_MS queues them as jobs.
 *
 * Nothing is lost when this process dies: every delivery here is in PostgreSQL, due, and the
 * sweeper queues it. A deferral (rate limit, open circuit) or an error becomes a queued job, so
 * the queue's waiting and retries apply from there. At shutdown the backlog is queued.
 */
@Injectable()
export class InlineFirstAttempts implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(InlineFirstAttempts.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly slots: number;
  private readonly backlogLimit: number;
  private readonly maxRoomWaitMs: number;
  /** FIFO; `head` moves instead of shifting the array. */
  private backlog: Waiting[] = [];
  private head = 0;
  private roomWaiters: (() => void)[] = [];
  private stopping = false;

  constructor(
    private readonly deliveries: DeliveryProcessor,
    private readonly queue: JobQueue,
    @Inject(CARAVAN_CONFIG) config: CaravanConfig,
  ) {
    this.slots = config.agent.deliveryConcurrency;
    this.backlogLimit = this.slots * BACKLOG_PER_SLOT;
    this.maxRoomWaitMs = Math.min(MAX_ROOM_WAIT_MS, config.agent.queueLockMs / 2);
  }

  /**
   * Starts what fits, keeps what the backlog holds, and resolves then; when the backlog is full it
   * resolves once there is room, or once the jobs are queued instead. Not when the sends end.
   */
  async start(jobs: DeliverJob[]): Promise<void> {
    if (jobs.length === 0) return;
    const deadline = Date.now() + this.maxRoomWaitMs;
    // An event with more endpoints than the backlog holds goes in whole once the backlog is empty.
    while (!this.stopping && this.waiting > 0 && this.waiting + jobs.length > this.backlogLimit) {
      if (!(await this.roomBefore(deadline))) break;
    }
    if (this.stopping || (this.waiting > 0 && this.waiting + jobs.length > this.backlogLimit)) {
      await this.queue.deliver(jobs);
      return;
    }
    const since = Date.now();
    for (const job of jobs) this.backlog.push({ job, since });
    this.sendWhatFits();
  }

  onModuleInit(): void {
    caravanMetrics.deliveryBacklog.sampleWith(async () => [{ labels: {}, value: this.waiting }]);
    caravanMetrics.deliveryBacklogOldest.sampleWith(async () => [
      { labels: {}, value: this.waiting > 0 ? (Date.now() - this.backlog[this.head].since) / 1000 : 0 },
    ]);
  }

  /** The backlog is queued; sends in flight finish (each is bounded by its endpoint's timeout) before connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const left = this.takeBacklog().map((waiting) => waiting.job);
    this.wakeRoomWaiters();
    await this.queue.deliver(left).catch((error: unknown) => {
      this.logger.warn(`${left.length} first attempt(s) not queued at shutdown (${String(error)}); the sweeper will send them`);
    });
    await Promise.allSettled([...this.inFlight]);
  }

  private get waiting(): number {
    return this.backlog.length - this.head;
  }

  private sendWhatFits(): void {
    while (!this.stopping && this.inFlight.size < this.slots && this.waiting > 0) {
      const { job } = this.backlog[this.head++];
      if (this.head === this.backlog.length) this.takeBacklog();
      else if (this.head >= 1024 && this.head * 2 >= this.backlog.length) this.backlog = this.takeBacklog();
      this.send(job);
    }
  }

  private takeBacklog(): Waiting[] {
    const left = this.backlog.slice(this.head);
    this.backlog = [];
    this.head = 0;
    return left;
  }

  private send(job: DeliverJob): void {
    const sent = this.deliveries
      .handle({ id: `inline:${job.deliveryId}:${job.attempt}`, name: QueueName.Delivery, data: job, progress: undefined, saveProgress: async () => undefined })
      .then(async (result) => {
        if (result instanceof Deferral) await this.queue.deliver([{ ...result.data, delayMs: result.delayMs }]);
      })
      .catch(async (error: unknown) => {
        this.logger.warn(`first attempt of delivery ${job.deliveryId} failed in-process (${String(error)}); queued instead`);
        await this.queue.deliver([job]).catch(() => undefined); // Postgres has it due: the sweeper sends it.
      })
      .finally(() => {
        this.inFlight.delete(sent);
        this.sendWhatFits();
        this.wakeRoomWaiters();
      });
    this.inFlight.add(sent);
  }

  /** Resolves true when a send ends (room may have come), false at the deadline. */
  private roomBefore(deadline: number): Promise<boolean> {
    const waitMs = deadline - Date.now();
    if (waitMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.roomWaiters = this.roomWaiters.filter((waiter) => waiter !== wake);
        resolve(false);
      }, waitMs);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.roomWaiters.push(wake);
    });
  }

  private wakeRoomWaiters(): void {
    if (this.roomWaiters.length === 0) return;
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }
}
