import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { CONFIG_CHANGES_CHANNEL, ConfigChangeListener, ConfigChanges, parseConfigChange } from './config-changes';

const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 30_000;

/**
 * LISTENs on a connection of its own. Live only between a LISTEN that succeeded and the
 * connection's loss; each (re)start tells listeners that anything may have changed, since
 * notifications sent while nobody listened are gone.
 */
export class PostgresConfigChanges extends ConfigChanges implements BeforeApplicationShutdown {
  private readonly logger = new Logger('ConfigChanges');
  private readonly listeners: ConfigChangeListener[] = [];
  private client: Client | null = null;
  private started = false;
  private stopped = false;
  private retryMs = FIRST_RETRY_MS;
  private retryTimer: NodeJS.Timeout | null = null;
  private isLive = false;

  constructor(private readonly url: string) {
    super();
  }

  get live(): boolean {
    return this.isLive;
  }

  subscribe(listener: ConfigChangeListener): void {
    this.listeners.push(listener);
    if (!this.started) {
      this.started = true;
      void this.connect();
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.isLive = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: 'caravan-config-changes' });
    this.client = client;
    client.on('notification', (message) => {
      const change = message.channel === CONFIG_CHANGES_CHANNEL && message.payload ? parseConfigChange(message.payload) : null;
      if (change) this.tell(change);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection closed')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CONFIG_CHANGES_CHANNEL}`);
    } catch (error) {
      this.lost(client, error as Error);
      return;
    }
    if (this.client !== client || this.stopped) return;
    this.retryMs = FIRST_RETRY_MS;
    // Whatever was read while nobody listened may be stale by now.
    this.tell(null);
    this.isLive = true;
  }

  private lost(client: Client, error: Error): void {
    if (this.client !== client) return;
    this.client = null;
    this.isLive = false;
    this.tell(null);
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.logger.warn(`not hearing configuration changes (${error.message}); reading them from the database until listening again`);
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }

  private tell(change: Parameters<ConfigChangeListener>[0]): void {
    for (const listener of this.listeners) listener(change);
  }
}
