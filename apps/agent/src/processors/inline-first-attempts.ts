import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import { Deferral, DeliverJob, JobQueue, QueueName } from '@caravan/queue';
import { DeliveryProcessor } from './delivery.processor';

/**
 * Sends the first attempt of a delivery routing has just created in this process, as long as a
 * slot is free (up to the delivery concurrency), instead of queueing a job for it: one queue hop
 * less per delivery, which on Redis is about half of the commands a delivery costs. The rest are
 * queued as before. Nothing is lost when this process dies meanwhile: the delivery is in
 * PostgreSQL, due, and the sweeper queues it. A deferral (rate limit, open circuit) or an error
 * becomes a queued job, so the queue's waiting and retries apply from there.
 */
@Injectable()
export class InlineFirstAttempts implements BeforeApplicationShutdown {
  private readonly logger = new Logger(InlineFirstAttempts.name);
  private readonly inFlight = new Set<Promise<void>>();
  private readonly slots: number;
  private stopping = false;

  constructor(
    private readonly deliveries: DeliveryProcessor,
    private readonly queue: JobQueue,
    @Inject(CARAVAN_CONFIG) config: CaravanConfig,
  ) {
    this.slots = config.agent.deliveryConcurrency;
  }

  /** Starts what fits and queues the rest; resolves once the rest is queued, not when sends end. */
  async start(jobs: DeliverJob[]): Promise<void> {
    const queued: DeliverJob[] = [];
    for (const job of jobs) {
      if (!this.stopping && this.inFlight.size < this.slots) this.send(job);
      else queued.push(job);
    }
    await this.queue.deliver(queued);
  }

  /** Sends in flight finish (each is bounded by its endpoint's timeout) before connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.inFlight]);
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
      .finally(() => this.inFlight.delete(sent));
    this.inFlight.add(sent);
  }
}
