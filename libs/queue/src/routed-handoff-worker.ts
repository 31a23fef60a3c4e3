import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Type } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import Redis from 'ioredis';
import { JobHandler, QueuedJob } from './job-handler';
import { QueueName, RoutingJob } from './queue-names';
import { redisOptions } from './redis-connection';
import { RoutedHandoff } from './routed-handoff';

/** How long one BRPOP waits: also how long a stop may wait for the loop to notice. */
const POP_TIMEOUT_SECONDS = 1;
const RETRY_AFTER_ERROR_MS = 1000;

/**
 * Takes the messages of the RoutedHandoff one at a time and gives each to the routing queue's
 * handler, as if it were a routing job. One at a time is the back pressure: the handler returns
 * once the first attempts are in this agent's backlog, and waits while the backlog is full, so
 * the messages this agent cannot start yet stay in Redis for the other agents.
 *
 * A failed message is not tried again: its deliveries stay claimed in PostgreSQL, and the sweeper
 * sends them once the claims run out. A stop lets the pop under way end, so nothing taken from
 * the list is dropped, and hands the message to the handler, which hands its attempts back.
 */
export function routedHandoffWorker(handler: Type<JobHandler>): Type<OnApplicationBootstrap & BeforeApplicationShutdown> {
  @Injectable()
  class RoutedHandoffWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
    private readonly logger = new Logger('RoutedHandoffWorker');
    /** Its own connection: a BRPOP holds the connection it runs on. */
    private readonly blocking: Redis;
    private loop: Promise<void> | null = null;
    private stopping = false;

    constructor(
      @Inject(handler) private readonly routing: JobHandler,
      private readonly handoff: RoutedHandoff,
      @Inject(CARAVAN_CONFIG) config: CaravanConfig,
    ) {
      this.blocking = new Redis({ ...redisOptions(config.redis), lazyConnect: true });
      this.blocking.on('error', () => undefined); // reconnects by itself; the loop logs failed pops
    }

    // After bootstrap, like the queue workers: no message is taken before every module is ready.
    onApplicationBootstrap(): void {
      this.loop = this.run();
    }

    async beforeApplicationShutdown(): Promise<void> {
      this.stopping = true;
      await this.loop;
      await this.blocking.quit().catch(() => this.blocking.disconnect());
    }

    private async run(): Promise<void> {
      let failing = false;
      while (!this.stopping) {
        let popped: [string, string] | null;
        try {
          popped = await this.blocking.brpop(this.handoff.key, POP_TIMEOUT_SECONDS);
          failing = false;
        } catch (error) {
          if (!failing) this.logger.warn(`cannot take routed events from Redis (${String(error)}); trying again every ${RETRY_AFTER_ERROR_MS} ms`);
          failing = true;
          await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_ERROR_MS));
          continue;
        }
        if (popped) await this.handle(popped[1]);
      }
    }

    private async handle(message: string): Promise<void> {
      try {
        await this.routing.handle(asRoutingJob(JSON.parse(message) as RoutingJob));
      } catch (error) {
        this.logger.warn(`routed events not started (${String(error)}); the sweeper sends their deliveries once the claims run out`);
      }
    }
  }
  return RoutedHandoffWorker;
}

function asRoutingJob(data: RoutingJob): QueuedJob<RoutingJob> {
  return { id: 'routed-handoff', name: QueueName.Routing, data, progress: undefined, saveProgress: async () => undefined };
}
