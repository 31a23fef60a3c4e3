import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import { SweepPendingWork } from '@caravan/delivery';
import { SweepMetaEvents } from '@caravan/meta-events';
import { PeriodicTask } from './periodic-task';

/** Runs the sweeper on an interval; one sweep at a time per process. */
@Injectable()
export class Sweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Sweeper.name);
  private readonly task: PeriodicTask;

  constructor(
    private readonly sweep: SweepPendingWork,
    private readonly sweepMetaEvents: SweepMetaEvents,
    @Inject(CARAVAN_CONFIG) config: CaravanConfig,
  ) {
    this.task = new PeriodicTask(
      config.agent.sweepIntervalMs,
      () => this.sweepOnce(),
      (error) => this.logger.warn(`sweep failed: ${String(error)}`),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.task.stop();
  }

  private async sweepOnce(): Promise<void> {
    const report = await this.sweep.execute();
    if (report.events + report.deliveries > 0) {
      this.logger.log(`re-queued ${report.events} event(s) and ${report.deliveries} delivery attempt(s)`);
    }
    const metaEvents = await this.sweepMetaEvents.execute();
    if (metaEvents > 0) this.logger.log(`re-queued ${metaEvents} meta event attempt(s)`);
  }
}
