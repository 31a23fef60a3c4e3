import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig, caravanMetrics, InFlightWork } from '@caravan/common';
import { ClaimedFirstAttempt, HandBackFirstAttempts } from '@caravan/delivery';
import { Deferral, JobQueue } from '@caravan/queue';
import { DeliveryProcessor } from './delivery.processor';

/** First attempts waiting for a slot, per delivery slot: enough to keep the slots busy, not a queue. */
const BACKLOG_PER_SLOT = 10;
/**
 * Attempts off the wire whose records are still being written, per delivery slot. A slot is free
 * once its request has ended: the record takes longer than a request to a fast receiver, and
 * shares a statement with the others. Bounded, so a slow database slows the sends down.
 */
const RECORDING_PER_SLOT = 1;

/**
 * Sends the first attempts of the deliveries routing has just created in this process, up to the
 * delivery concurrency on the wire at a time, instead of queueing a job for each: a queue hop
 * costs about 45 Redis commands, more than the rest of a delivery. Routing creates these
 * deliveries already claimed (ClaimedFirstAttempt), which saves each a claim statement. Attempts
 * beyond the free slots wait here, in order, in a short backlog; when it is full, routing waits
 * for room (so events wait in the routing queue or the RoutedHandoff's list, where they cost
 * nothing more) until their claims are half as
 * old as the queue lock, and then hands them back to be queued as jobs: handing back costs a write
 * and a queued job per delivery, so a burst is better waited out while the claims last.
 *
 * Nothing is lost when this process dies: every delivery here is in PostgreSQL, and the sweeper
 * queues it once its claim has run out. A claim that waited here for half the queue lock is
 * handed back rather than used, so it cannot run out while its attempt is on the wire. A deferral
 * (rate limit, open circuit) hands the claim back and becomes a queued job, and so does an error,
 * so the queue's waiting and retries apply from there. At shutdown the backlog is handed back.
 */
@Injectable()
export class InlineFirstAttempts implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(InlineFirstAttempts.name);
  /** Attempts started and not finished: on the wire, or being recorded. */
  private readonly inFlight = new Set<Promise<void>>();
  /** Of those, the ones whose request has not ended: what the delivery slots count. */
  private onTheWire = 0;
  /** Hand-backs under way: shutdown waits for them like for sends, but they hold no delivery slot. */
  private readonly handingBack = new InFlightWork();
  private readonly slots: number;
  private readonly inFlightLimit: number;
  private readonly backlogLimit: number;
  private readonly maxClaimAgeMs: number;
  /** FIFO; `head` moves instead of shifting the array. */
  private backlog: ClaimedFirstAttempt[] = [];
  private head = 0;
  private roomWaiters: (() => void)[] = [];
  private stopping = false;

  constructor(
    private readonly deliveries: DeliveryProcessor,
    private readonly handBack: HandBackFirstAttempts,
    private readonly queue: JobQueue,
    @Inject(CARAVAN_CONFIG) config: CaravanConfig,
  ) {
    this.slots = config.agent.deliveryConcurrency;
    this.inFlightLimit = this.slots * (1 + RECORDING_PER_SLOT);
    this.backlogLimit = this.slots * BACKLOG_PER_SLOT;
    // A claim lasts the endpoint's timeout plus the queue lock: used within half the lock, its attempt ends in time.
    this.maxClaimAgeMs = config.agent.queueLockMs / 2;
  }

  /**
   * Starts what fits, keeps what the backlog holds, and resolves then; when the backlog is full it
   * resolves once there is room, or once the jobs are queued instead. Not when the sends end.
   */
  async start(attempts: ClaimedFirstAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    // Routed at ingest, the claims may be older than this job: the oldest sets the deadline.
    const deadline = attempts.reduce((oldest, attempt) => Math.min(oldest, attempt.claimedAt), Infinity) + this.maxClaimAgeMs;
    // An event with more endpoints than the backlog holds goes in whole once the backlog is empty.
    while (!this.stopping && this.waiting > 0 && this.waiting + attempts.length > this.backlogLimit) {
      if (!(await this.roomBefore(deadline))) break;
    }
    if (this.stopping || (this.waiting > 0 && this.waiting + attempts.length > this.backlogLimit)) {
      await this.handBack.execute(attempts);
      return;
    }
    this.backlog.push(...attempts);
    this.sendWhatFits();
  }

  onModuleInit(): void {
    caravanMetrics.deliveryBacklog.sampleWith(async () => [{ labels: {}, value: this.waiting }]);
    caravanMetrics.deliveryBacklogOldest.sampleWith(async () => [
      { labels: {}, value: this.waiting > 0 ? (Date.now() - this.backlog[this.head].claimedAt) / 1000 : 0 },
    ]);
  }

  /** The backlog is handed back; sends in flight finish (each is bounded by its endpoint's timeout) before connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    const left = this.takeBacklog();
    this.wakeRoomWaiters();
    await this.handBack.execute(left).catch((error: unknown) => {
      this.logger.warn(`${left.length} first attempt(s) not queued at shutdown (${String(error)}); the sweeper will send them`);
    });
    await Promise.allSettled([...this.inFlight]);
    await this.handingBack.drained();
  }

  private get waiting(): number {
    return this.backlog.length - this.head;
  }

  private sendWhatFits(): void {
    const stale: ClaimedFirstAttempt[] = [];
    while (!this.stopping && this.onTheWire < this.slots && this.inFlight.size < this.inFlightLimit && this.waiting > 0) {
      const attempt = this.backlog[this.head++];
      if (this.head === this.backlog.length) this.takeBacklog();
      else if (this.head >= 1024 && this.head * 2 >= this.backlog.length) this.backlog = this.takeBacklog();
      if (Date.now() - attempt.claimedAt > this.maxClaimAgeMs) stale.push(attempt);
      else this.send(attempt);
    }
    if (stale.length > 0) {
      this.handingBack.track(
        this.handBack.execute(stale).catch((error: unknown) =>
          this.logger.warn(`${stale.length} first attempt(s) waited too long and could not be queued (${String(error)}); the sweeper will send them`),
        ),
      );
    }
  }

  private takeBacklog(): ClaimedFirstAttempt[] {
    const left = this.backlog.slice(this.head);
    this.backlog = [];
    this.head = 0;
    return left;
  }

  private send({ job, claimed }: ClaimedFirstAttempt): void {
    let wire = true;
    const offTheWire = () => {
      if (!wire) return;
      wire = false;
      this.onTheWire--;
      this.sendWhatFits();
    };
    this.onTheWire++;
    const sent = this.deliveries
      .attempt(job, claimed, offTheWire)
      .then(async (result) => {
        if (result instanceof Deferral) await this.queue.deliver([{ ...result.data, delayMs: result.delayMs }]);
      })
      .catch(async (error: unknown) => {
        this.logger.warn(`first attempt of delivery ${job.deliveryId} failed in-process (${String(error)}); queued instead`);
        await this.queue.deliver([job]).catch(() => undefined); // Postgres has it: the sweeper sends it.
      })
      .finally(() => {
        this.inFlight.delete(sent);
        offTheWire();
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
