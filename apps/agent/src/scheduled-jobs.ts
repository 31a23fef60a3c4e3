import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import { SweepPendingWork } from '@caravan/delivery';
import { SweepMetaEvents } from '@caravan/meta-events';
import { PurgeExpiredData } from '@caravan/retention';
import { Scheduler, ScheduledTask } from '@caravan/scheduler';

/**
 * The periodic jobs that run once per deployment, whatever the number of agents. Broker source
 * refresh is not one of them: each agent runs its own consumers, so each agent refreshes them
 * itself (BrokerSupervisor).
 */
@Injectable()
export class ScheduledJobs implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    private readonly scheduler: Scheduler,
    private readonly sweep: SweepPendingWork,
    private readonly sweepMetaEvents: SweepMetaEvents,
    private readonly purge: PurgeExpiredData,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.start(this.tasks());
  }

  onApplicationShutdown(): Promise<void> {
    return this.scheduler.stop();
  }

  private tasks(): ScheduledTask[] {
    return [
      {
        name: 'sweep-pending-work',
        intervalMs: this.config.agent.sweepIntervalMs,
        run: async () => {
          const swept = await this.sweep.execute();
          const metaEvents = await this.sweepMetaEvents.execute();
          return { events_requeued: swept.events, deliveries_requeued: swept.deliveries, meta_events_requeued: metaEvents };
        },
        // The embedded queue lives in this one process and starts empty: rebuild it at once.
        dueAtStart: this.config.storage === 'embedded',
        quietWhenIdle: true,
      },
      {
        name: 'retention-purge',
        intervalMs: this.config.retention.intervalMs,
        run: async (signal) => ({ ...(await this.purge.execute(signal)) }),
      },
    ];
  }
}
