import { BeforeApplicationShutdown, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { CONFIG_CHANGES_CHANNEL, ConfigChangeListener, ConfigChanges, parseConfigChange } from './config-changes';

const FIRST_RETRY_MS = 500;
const LAST_RETRY_MS = 30_000;
const PROBE_TIMEOUT_MS = 5000;

class DeafListen extends Error {
  constructor() {
    super('a notification sent to this connection did not arrive');
  }
}

/** Sends a notification on the channel from another connection, as a writer of configuration would. */
export type ProbeSender = (payload: string) => Promise<void>;

export interface PostgresConfigChangesOptions {
  /** How the probe is sent; by default from a short-lived connection to the same URL. */
  sendProbe?: ProbeSender;
  probeTimeoutMs?: number;
}

/**
 * LISTENs on a connection of its own. Live only between a LISTEN that heard its own probe and the
 * connection's loss; each (re)start tells listeners that anything may have changed, since
 * notifications sent while nobody listened are gone.
 *
 * The probe: a LISTEN can succeed and still hear nothing, behind a pooler in transaction mode
 * (PgBouncer's default), which hands the session's server connection to others between
 * statements. So after each LISTEN, a notification sent from another connection must arrive
 * before the caches are trusted; if it does not, the feed stays down (everything is read from the
 * database) and tries again later.
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
  private warnedDeaf = false;
  /** The probe awaited on the current connection, and what to call when it arrives. */
  private probe: { payload: string; heard: () => void } | null = null;
  private readonly sendProbe: ProbeSender;
  private readonly probeTimeoutMs: number;

  constructor(
    private readonly url: string,
    options: PostgresConfigChangesOptions = {},
  ) {
    super();
    this.sendProbe = options.sendProbe ?? ((payload) => notifyFrom(url, payload));
    this.probeTimeoutMs = options.probeTimeoutMs ?? PROBE_TIMEOUT_MS;
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
      if (message.channel !== CONFIG_CHANGES_CHANNEL || !message.payload) return;
      if (this.probe?.payload === message.payload) return this.probe.heard();
      const change = parseConfigChange(message.payload);
      if (change) this.tell(change);
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, new Error('connection closed')));
    try {
      await client.connect();
      await client.query(`LISTEN ${CONFIG_CHANGES_CHANNEL}`);
      if (!(await this.hearsProbe())) {
        if (!this.warnedDeaf) {
          this.warnedDeaf = true;
          this.logger.warn(
            `LISTEN ${CONFIG_CHANGES_CHANNEL} did not hear a notification sent to it within ${this.probeTimeoutMs} ms, as behind a ` +
              'connection pooler in transaction mode: endpoints and subscriptions are read from the database each time. Connect ' +
              'directly (or in session mode), or set CARAVAN_DATABASE_LISTEN=false to stop trying.',
          );
        }
        throw new DeafListen();
      }
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

  /** Sends a probe of its own and answers whether this connection heard it in time. */
  private async hearsProbe(): Promise<boolean> {
    const payload = `probe:${randomUUID()}`;
    let timer: NodeJS.Timeout | undefined;
    const heard = new Promise<boolean>((resolve) => {
      this.probe = { payload, heard: () => resolve(true) };
      timer = setTimeout(() => resolve(false), this.probeTimeoutMs);
    });
    try {
      await this.sendProbe(payload);
      return await heard;
    } finally {
      clearTimeout(timer);
      this.probe = null;
    }
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
    // A deaf LISTEN was explained once, in connect(); it is retried quietly.
    if (!(error instanceof DeafListen)) {
      this.logger.warn(`not hearing configuration changes (${error.message}); reading them from the database until listening again`);
    }
    this.retryTimer = setTimeout(() => void this.connect(), this.retryMs);
    this.retryMs = Math.min(this.retryMs * 2, LAST_RETRY_MS);
  }

  private tell(change: Parameters<ConfigChangeListener>[0]): void {
    for (const listener of this.listeners) listener(change);
  }
}

async function notifyFrom(url: string, payload: string): Promise<void> {
  const client = new Client({ connectionString: url, application_name: 'caravan-config-changes-probe' });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT pg_notify($1, $2)', [CONFIG_CHANGES_CHANNEL, payload]);
  } finally {
    await client.end().catch(() => undefined);
  }
}
