import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import { SweepPendingWork } from '@caravan/delivery';

/** Runs the sweeper on an interval; one sweep at a time per process. */
@Injectable()
export class Sweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(Sweeper.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly sweep: SweepPendingWork,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.agent.sweepIntervalMs);
    void this.tick();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private async tick(): Promise<void> {
    if (this.running) return;
    this.running = this.sweep
      .execute()
      .then((report) => {
        if (report.events + report.deliveries > 0) {
          this.logger.log(`re-queued ${report.events} event(s) and ${report.deliveries} delivery attempt(s)`);
        }
      })
      .catch((error: unknown) => this.logger.warn(`sweep failed: ${String(error)}`))
      .finally(() => (this.running = undefined));
    await this.running;
  }
}
