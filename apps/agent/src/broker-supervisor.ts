import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import {
  BrokerConsumer,
  createBrokerConsumer,
  FindBrokerSources,
  PersistBrokerMessage,
  Source,
  SourceCredentials,
} from '@caravan/sources';

/**
 * Keeps one consumer running per broker source, following the sources table without a restart:
 * a new source starts consuming, a changed one restarts, a deleted one stops. Every agent runs
 * its own consumers; the brokers share the messages among them (consumer groups, competing
 * consumers).
 */
@Injectable()
export class BrokerSupervisor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(BrokerSupervisor.name);
  private readonly running = new Map<string, { version: string; consumer: BrokerConsumer }>();
  private timer: NodeJS.Timeout | undefined;
  private reconciling: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly findBrokerSources: FindBrokerSources,
    private readonly credentials: SourceCredentials,
    private readonly persist: PersistBrokerMessage,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.refresh(), this.config.agent.sourceRefreshMs);
    this.refresh();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.reconciling;
    await Promise.all([...this.running.values()].map(({ consumer }) => consumer.stop()));
    this.running.clear();
  }

  private refresh(): void {
    if (this.reconciling || this.stopped) return;
    this.reconciling = this.reconcile()
      .catch((error: unknown) => this.logger.warn(`broker sources not refreshed: ${String(error)}`))
      .finally(() => (this.reconciling = undefined));
  }

  private async reconcile(): Promise<void> {
    const wanted = new Map((await this.findBrokerSources.execute()).filter((s) => s.broker).map((s) => [s.id, s]));
    for (const [id, run] of this.running) {
      const source = wanted.get(id);
      if (source && versionOf(source) === run.version) continue;
      await run.consumer.stop();
      this.running.delete(id);
      this.logger.log(`stopped consuming source ${id}${source ? ' (changed)' : ''}`);
    }
    for (const source of wanted.values()) {
      if (this.running.has(source.id) || this.stopped) continue;
      const consumer = createBrokerConsumer(source, this.credentials.openBroker(source.broker!));
      try {
        await consumer.start(this.persist.sinkFor(source));
        this.running.set(source.id, { version: versionOf(source), consumer });
        this.logger.log(`consuming source ${source.id} (${source.type})`);
      } catch (error) {
        // Tried again at the next refresh: the broker may be down or the settings wrong.
        this.logger.warn(`source ${source.id} (${source.type}) cannot be consumed: ${String(error)}`);
        await consumer.stop().catch(() => undefined);
      }
    }
  }
}

function versionOf(source: Source): string {
  return source.updatedAt.toISOString();
}
