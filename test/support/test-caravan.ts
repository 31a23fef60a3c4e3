import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import Redis from 'ioredis';
import { Client, Pool } from 'pg';
import { childEnvironment, loadConfig, StorageMode, testStorage } from '@caravan/common';
import { ApiClient } from './api-client';
import { CaravanProcess } from './caravan-process';

export interface TestProject {
  id: string;
  key: string;
  client: ApiClient;
}

/** The storage this run's suites use (CARAVAN_TEST_STORAGE): `npm test` runs every suite on both. */
export const STORAGE: StorageMode = testStorage();
export const EMBEDDED = STORAGE === 'embedded';

/** For `it(..., { skip: externalOnly('why') })`: behaviour the embedded mode does not have, by design. */
export function externalOnly(reason: string): string | false {
  return EMBEDDED ? `external storage only: ${reason}` : false;
}

/**
 * One isolated Caravan for one suite, cleaned up by destroy(). On external storage: its own
 * database and Redis key prefix, and separate api and agent processes. Embedded: its own data
 * directory and one process that is both (startApi starts it; startAgent restarts it only when it
 * needs other settings).
 */
export abstract class TestCaravan {
  api?: CaravanProcess;
  agent?: CaravanProcess;
  readonly rootKey = `root-${randomBytes(24).toString('hex')}`;
  readonly encryptionKey = randomBytes(32).toString('base64');
  /** Reads rows directly. Embedded: one connection beside Caravan's; do not hold a transaction open on it. */
  abstract readonly db: Pool;
  protected readonly env: Record<string, string>;

  protected constructor(env: Record<string, string>) {
    this.env = {
      CARAVAN_ROOT_API_KEY: this.rootKey,
      CARAVAN_ENCRYPTION_KEY: this.encryptionKey,
      CARAVAN_ENV: 'test',
      CARAVAN_API_PORT: '0',
      CARAVAN_AGENT_PORT: '0',
      CARAVAN_LOG_LEVEL: 'warn',
      CARAVAN_SWEEP_INTERVAL_SECONDS: '0.5',
      CARAVAN_SWEEP_GRACE_SECONDS: '1',
      CARAVAN_QUEUE_LOCK_SECONDS: '2',
      CARAVAN_SCHEDULER_LEASE_SECONDS: '2',
      CARAVAN_SOURCE_REFRESH_SECONDS: '0.5',
      ...env,
    };
  }

  static async create(env: Record<string, string> = {}): Promise<TestCaravan> {
    return EMBEDDED ? EmbeddedTestCaravan.create(env) : ExternalTestCaravan.create(env);
  }

  environment(overrides: Record<string, string> = {}): Record<string, string> {
    return { ...this.env, ...overrides };
  }

  abstract startApi(overrides?: Record<string, string>): Promise<ApiClient>;
  abstract startAgent(overrides?: Record<string, string>): Promise<CaravanProcess>;

  rootClient(): ApiClient {
    if (!this.api) throw new Error('start the api first');
    return new ApiClient(this.api.url, this.rootKey);
  }

  /** A project and one API key for it, through the public API. */
  async createProject(config: Record<string, unknown> = {}): Promise<TestProject> {
    const root = this.rootClient();
    const project = await root.post('/api/v1/projects', { name: `project ${randomBytes(3).toString('hex')}`, config });
    if (project.status !== 201) throw new Error(`project not created: ${JSON.stringify(project.body)}`);
    const key = await root.post(`/api/v1/projects/${project.body.id}/api-keys`, { name: 'tests' });
    if (key.status !== 201) throw new Error(`key not created: ${JSON.stringify(key.body)}`);
    return { id: project.body.id, key: key.body.key, client: root.withKey(key.body.key) };
  }

  /** Reads rows whether Caravan is running or not (embedded storage is only reachable through its process). */
  abstract query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;

  abstract destroy(): Promise<void>;
}

export class ExternalTestCaravan extends TestCaravan {
  readonly db: Pool;

  private constructor(
    readonly databaseName: string,
    readonly databaseUrl: string,
    readonly redisUrl: string,
    readonly redisPrefix: string,
    env: Record<string, string>,
  ) {
    super({ DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, CARAVAN_REDIS_PREFIX: redisPrefix, ...env });
    this.db = new Pool({ connectionString: databaseUrl, max: 2 });
  }

  static override async create(env: Record<string, string>): Promise<ExternalTestCaravan> {
    const base = externalServers();
    const name = `caravan_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const client = new Client({ connectionString: adminUrl(base.database.url) });
    await client.connect();
    await client.query(`CREATE DATABASE "${name}"`);
    await client.end();
    const url = new URL(base.database.url);
    url.pathname = `/${name}`;
    return new ExternalTestCaravan(name, url.toString(), base.redis.url, `caravan-test-${randomBytes(4).toString('hex')}`, env);
  }

  async startApi(overrides: Record<string, string> = {}): Promise<ApiClient> {
    this.api = await CaravanProcess.start('api', this.environment(overrides));
    return this.rootClient();
  }

  async startAgent(overrides: Record<string, string> = {}): Promise<CaravanProcess> {
    this.agent = await CaravanProcess.start('agent', this.environment(overrides));
    return this.agent;
  }

  query(sql: string, params: unknown[] = []): Promise<{ rows: any[] }> {
    return this.db.query(sql, params);
  }

  async destroy(): Promise<void> {
    await Promise.all([this.api?.stop(), this.agent?.stop()]);
    await this.db.end();
    const client = new Client({ connectionString: adminUrl(externalServers().database.url) });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${this.databaseName}" WITH (FORCE)`);
    await client.end();
    const redis = new Redis(this.redisUrl);
    const stream = redis.scanStream({ match: `${this.redisPrefix}:*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
}

class EmbeddedTestCaravan extends TestCaravan {
  readonly db: Pool;
  private apiOverrides: Record<string, string> = {};
  private agentOverrides: Record<string, string> = {};

  private constructor(
    readonly dataDir: string,
    env: Record<string, string>,
  ) {
    super({ CARAVAN_DATA_DIR: dataDir, ...env });
    // Caravan's own data-directory socket; the embedded server accepts this one connection beside Caravan's.
    this.db = new Pool({ host: dataDir, port: 5432, user: 'postgres', database: 'postgres', max: 1, idleTimeoutMillis: 1000 });
    // Its connection drops whenever the test restarts Caravan; the pool reconnects on the next query.
    this.db.on('error', () => undefined);
  }

  static override async create(env: Record<string, string>): Promise<EmbeddedTestCaravan> {
    return new EmbeddedTestCaravan(fs.mkdtempSync(path.join(os.tmpdir(), 'caravan-e2e-')), env);
  }

  async startApi(overrides: Record<string, string> = {}): Promise<ApiClient> {
    this.apiOverrides = overrides;
    await this.restart();
    return this.rootClient();
  }

  /** The agent is the api's process; other settings for it mean starting that process again, on the same port. */
  async startAgent(overrides: Record<string, string> = {}): Promise<CaravanProcess> {
    if (this.api && sameSettings(this.agentOverrides, overrides) && !this.hasExited()) return this.api;
    this.agentOverrides = overrides;
    await this.restart();
    return this.api!;
  }

  private hasExited(): boolean {
    return this.api?.hasExited ?? true;
  }

  private async restart(): Promise<void> {
    const port = this.api ? new URL(this.api.url).port : '0';
    await this.api?.stop();
    this.api = await CaravanProcess.start('standalone', this.environment({ ...this.agentOverrides, ...this.apiOverrides, CARAVAN_API_PORT: port }), 40_000);
    this.agent = this.api;
  }

  async query(sql: string, params: unknown[] = []): Promise<{ rows: any[] }> {
    if (!this.hasExited()) {
      // A pooled connection the embedded server dropped fails once (ECONNRESET); a fresh one works.
      return this.db.query(sql, params).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ECONNRESET' && !/Connection terminated/.test(error.message)) throw error;
        return this.db.query(sql, params);
      });
    }
    // Nobody holds the data directory: open its database directly, read, and let go.
    const database = await PGlite.create({ dataDir: path.join(this.dataDir, 'postgres') });
    try {
      return await database.query(sql, params);
    } finally {
      await database.close();
    }
  }

  async destroy(): Promise<void> {
    await this.api?.stop();
    await this.db.end();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

function sameSettings(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((key) => a[key] === b[key]);
}

/** The PostgreSQL and Redis that external-storage suites create their databases and prefixes on. */
function externalServers() {
  return loadConfig(childEnvironment({ CARAVAN_STORAGE: 'external' }) as Record<string, string | undefined>);
}

function adminUrl(databaseUrl: string): string {
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  return admin.toString();
}
