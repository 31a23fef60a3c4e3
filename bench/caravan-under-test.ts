import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { childEnvironment, loadConfig } from '@caravan/common';
import Redis from 'ioredis';
import { Client } from 'pg';
import { CaravanRestClient } from './caravan-rest-client';
import { ServiceProcess } from './service-process';

const API_ENTRY = path.resolve(__dirname, '../apps/api/src/main.js');
const AGENT_ENTRY = path.resolve(__dirname, '../apps/agent/src/main.js');
const API_READY = /Caravan API: (http:\/\/[^/\s]+)/;
const AGENT_READY = /Caravan agent running; health: (http:\/\/[^/\s]+)/;

/** Event types: one endpoint subscribes to the first, ten to the second, none to the ingest type. */
export const EVENT_TYPES = {
  ingest: 'bench.ingest',
  fanOut1: 'bench.fanout1',
  fanOut10: 'bench.fanout10',
} as const;
export const ENDPOINT_COUNT = 10;

/**
 * Work counters of the stores, read without delay (Postgres's per-database statistics reach
 * pg_stat_database up to ~10 s after a transaction, too late to split phases). They count the
 * whole server, so they are exact only while nothing else uses Postgres and Redis.
 */
export interface StoreCounters {
  /** Transaction ids assigned: every transaction that wrote something (reads take none). */
  postgresWriteTransactions: number;
  /** Bytes of write-ahead log: what those writes cost on disk. */
  walBytes: number;
  /** Commands Redis processed, those that BullMQ's Lua scripts run and the bench's own few included. */
  redisCommands: number;
}

/** The difference of two counter readings. */
export function storeWork(before: StoreCounters, after: StoreCounters): StoreCounters {
  return {
    postgresWriteTransactions: after.postgresWriteTransactions - before.postgresWriteTransactions,
    walBytes: after.walBytes - before.walBytes,
    redisCommands: after.redisCommands - before.redisCommands,
  };
}

export interface ServerUrls {
  postgresUrl: string;
  redisUrl: string;
}

/**
 * Caravan as the bench runs it: the api and the agent as separate processes from the build, on a
 * database and a Redis prefix of their own that `destroy()` removes again, with one project whose
 * endpoints point at the bench's receiver.
 */
export class CaravanUnderTest {
  api: ServiceProcess | null = null;
  /** One agent unless the bench asks for more (--agents): they share the work as a deployment's do. */
  agents: ServiceProcess[] = [];
  projectId = '';
  projectKey = '';
  readonly databaseName = `caravan_bench_${randomBytes(5).toString('hex')}`;
  readonly redisPrefix = `caravan-bench-${randomBytes(5).toString('hex')}`;
  /** The ingest baseline's own prefix, removed with Caravan's. */
  readonly baselineRedisPrefix = `${this.redisPrefix}-baseline`;
  private readonly rootKey = `bench_root_${randomBytes(24).toString('base64url')}`;
  private readonly encryptionKey = randomBytes(32).toString('base64');
  private db: Client | null = null;
  private redis: Redis | null = null;

  constructor(readonly servers: ServerUrls) {}

  get databaseUrl(): string {
    const url = new URL(this.servers.postgresUrl);
    url.pathname = `/${this.databaseName}`;
    return url.toString();
  }

  get eventsUrl(): string {
    return `${this.api!.url}/api/v1/projects/${this.projectId}/events`;
  }

  /** The agent's delivery concurrency (CARAVAN_DELIVERY_CONCURRENCY, 50 unless set): the delivery baseline uses the same. */
  get deliveryConcurrency(): number {
    return loadConfig(this.environment()).agent.deliveryConcurrency;
  }

  /** The api's Postgres pool size: the ingest baseline uses the same. */
  get databasePoolSize(): number {
    return loadConfig(this.environment()).database.poolSize;
  }

  /**
   * Starts the api, which creates the database and applies the migrations at boot. With `inspect`,
   * its inspector listens on a free loopback port, for CpuProfiler.
   */
  async startApi(inspect = false): Promise<void> {
    this.api = await ServiceProcess.start(
      'api',
      API_ENTRY,
      this.environment(),
      API_READY,
      inspectArgs(inspect),
    );
    this.db = new Client({ connectionString: this.databaseUrl });
    await this.db.connect();
  }

  /** The first agent: the one profiled, and the one whose heap the soak measures. */
  get agent(): ServiceProcess | null {
    return this.agents[0] ?? null;
  }

  async startAgents(count: number, inspect = false): Promise<void> {
    this.agents = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        ServiceProcess.start(i === 0 ? 'agent' : `agent ${i + 1}`, AGENT_ENTRY, this.environment(), AGENT_READY, inspectArgs(inspect)),
      ),
    );
  }

  /** A client with the root key, for set-ups of other benches (see search-latency.ts). */
  rootClient(): CaravanRestClient {
    return new CaravanRestClient(this.api!.url, this.rootKey);
  }

  /** One project with fast retries, a project key, ten endpoints on the receiver and their subscriptions. */
  async setUp(endpointUrl: (index: number) => string): Promise<void> {
    const root = this.rootClient();
    const project = await root.post<{ id: string }>('/projects', {
      name: 'bench',
      // The receiver always answers 200; should an attempt fail anyway, its retry comes within seconds.
      config: { retry: { strategy: 'linear', interval_seconds: 1, retry_count: 5, max_interval_seconds: 5 } },
    });
    this.projectId = project.id;
    this.projectKey = (
      await root.post<{ key: string }>(`/projects/${project.id}/api-keys`, { name: 'bench' })
    ).key;
    const client = root.withKey(this.projectKey);
    for (let i = 0; i < ENDPOINT_COUNT; i++) {
      const endpoint = await client.post<{ id: string }>(`/projects/${project.id}/endpoints`, {
        name: `bench-${i}`,
        url: endpointUrl(i),
      });
      await client.post(`/projects/${project.id}/subscriptions`, {
        name: `bench-${i}`,
        endpoint_id: endpoint.id,
        event_types: i === 0 ? [EVENT_TYPES.fanOut1, EVENT_TYPES.fanOut10] : [EVENT_TYPES.fanOut10],
      });
    }
  }

  /** Events the agent has not routed yet (the partial index events_unrouted makes this cheap). */
  async unroutedEvents(): Promise<number> {
    const result = await this.db!.query<{ count: string }>(
      'SELECT count(*) FROM events WHERE routed_at IS NULL',
    );
    return Number(result.rows[0].count);
  }

  /**
   * Postgres processes doing Caravan's (or the baseline's) work: backends of the bench database and
   * the WAL and checkpoint writers; not the bench's own connection, which asks.
   */
  async postgresPids(): Promise<number[]> {
    const result = await this.db!.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
       WHERE (datname = $1 OR backend_type IN ('walwriter', 'checkpointer', 'background writer'))
         AND pid <> pg_backend_pid()`,
      [this.databaseName],
    );
    return result.rows.map((row) => row.pid);
  }

  async storeCounters(): Promise<StoreCounters> {
    // The snapshot's xmax is the next transaction id, read without taking one.
    const result = await this.db!.query<{ next_xid: string; wal: string }>(
      'SELECT pg_snapshot_xmax(pg_current_snapshot())::text AS next_xid, pg_current_wal_lsn()::text AS wal',
    );
    this.redis ??= new Redis(this.servers.redisUrl, { maxRetriesPerRequest: 1 });
    const info = await this.redis.info('stats');
    const [high, low] = result.rows[0].wal.split('/').map((part) => parseInt(part, 16));
    return {
      postgresWriteTransactions: Number(result.rows[0].next_xid),
      walBytes: high * 2 ** 32 + low,
      redisCommands: Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? 0),
    };
  }

  /** Redis's process id and version, from INFO. */
  async redisServer(): Promise<{ pid: number; version: string }> {
    const redis = new Redis(this.servers.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const info = await redis.info('server');
      return {
        pid: Number(/process_id:(\d+)/.exec(info)?.[1] ?? 0),
        version: /redis_version:(\S+)/.exec(info)?.[1] ?? '?',
      };
    } finally {
      redis.disconnect();
    }
  }

  async postgresVersion(): Promise<string> {
    const result = await this.db!.query<{ server_version: string }>('SHOW server_version');
    return `PostgreSQL ${result.rows[0].server_version.split(' ')[0]}`;
  }

  /** Stops the processes, drops the database and deletes every Redis key of both prefixes. */
  async destroy(): Promise<void> {
    await Promise.all([this.api?.stop(), ...this.agents.map((agent) => agent.stop())]);
    await this.db?.end().catch(() => undefined);
    this.db = null;
    this.redis?.disconnect();
    this.redis = null;
    const admin = new Client({ connectionString: this.servers.postgresUrl });
    await admin.connect();
    try {
      await admin.query(`DROP DATABASE IF EXISTS "${this.databaseName}" WITH (FORCE)`);
    } finally {
      await admin.end();
    }
    const redis = new Redis(this.servers.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      for (const prefix of [this.redisPrefix, this.baselineRedisPrefix]) {
        const stream = redis.scanStream({ match: `${prefix}:*`, count: 1000 });
        for await (const keys of stream as AsyncIterable<string[]>)
          if (keys.length) await redis.unlink(...keys);
      }
    } finally {
      redis.disconnect();
    }
  }

  private environment(): Record<string, string | undefined> {
    return childEnvironment({
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.servers.redisUrl,
      CARAVAN_REDIS_PREFIX: this.redisPrefix,
      CARAVAN_ROOT_API_KEY: this.rootKey,
      CARAVAN_ENCRYPTION_KEY: this.encryptionKey,
      CARAVAN_API_PORT: '0',
      CARAVAN_AGENT_PORT: '0',
      CARAVAN_LOG_LEVEL: 'warn',
      // Development allows loopback receivers such as the bench's.
      CARAVAN_ENV: 'development',
      CARAVAN_STORAGE: undefined,
    });
  }
}

function inspectArgs(inspect: boolean): string[] {
  return inspect ? ['--inspect=127.0.0.1:0'] : [];
}
