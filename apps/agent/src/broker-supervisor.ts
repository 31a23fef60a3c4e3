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
import { PeriodicTask } from './periodic-task';

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
  private readonly task: PeriodicTask;

  constructor(
    private readonly findBrokerSources: FindBrokerSources,
    private readonly credentials: SourceCredentials,
    private readonly persist: PersistBrokerMessage,
    @Inject(CARAVAN_CONFIG) config: CaravanConfig,
  ) {
    this.task = new PeriodicTask(
      config.agent.sourceRefreshMs,
      () => this.reconcile(),
      (error) => this.logger.warn(`broker sources not refreshed: ${String(error)}`),
    );
  }

  onApplicationBootstrap(): void {
    this.task.start();
  }

  async onApplicationShutdown(): Promise<void> {
    // Waits for a refresh in flight, so a consumer it started is in the map and stopped here too.
    await this.task.stop();
    await Promise.all([...this.running.values()].map(({ consumer }) => consumer.stop()));
    this.running.clear();
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
      if (this.running.has(source.id)) continue;
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
