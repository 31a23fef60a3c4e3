import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client, Pool } from 'pg';
import { loadConfig } from '@caravan/common';
import { ApiClient } from './api-client';
import { CaravanProcess } from './caravan-process';

export interface TestProject {
  id: string;
  key: string;
  client: ApiClient;
}

/**
 * One isolated Caravan for one suite: its own database and Redis key prefix, real api and
 * agent processes, cleaned up by destroy().
 */
export class TestCaravan {
  api?: CaravanProcess;
  agent?: CaravanProcess;
  readonly rootKey = `root-${randomBytes(24).toString('hex')}`;
  readonly encryptionKey = randomBytes(32).toString('base64');
  readonly db: Pool;
  private readonly env: Record<string, string>;

  private constructor(
    readonly databaseName: string,
    readonly databaseUrl: string,
    readonly redisUrl: string,
    readonly redisPrefix: string,
    env: Record<string, string>,
  ) {
    this.env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      CARAVAN_REDIS_PREFIX: redisPrefix,
      CARAVAN_ROOT_API_KEY: this.rootKey,
      CARAVAN_ENCRYPTION_KEY: this.encryptionKey,
      CARAVAN_ENV: 'test',
      CARAVAN_API_PORT: '0',
      CARAVAN_AGENT_PORT: '0',
      CARAVAN_LOG_LEVEL: 'warn',
      CARAVAN_SWEEP_INTERVAL_SECONDS: '0.5',
      CARAVAN_SWEEP_GRACE_SECONDS: '1',
      CARAVAN_QUEUE_LOCK_SECONDS: '2',
      CARAVAN_SOURCE_REFRESH_SECONDS: '0.5',
      ...env,
    };
    this.db = new Pool({ connectionString: databaseUrl, max: 2 });
  }

  static async create(env: Record<string, string> = {}): Promise<TestCaravan> {
    const base = loadConfig();
    const name = `caravan_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = new URL(base.database.url);
    admin.pathname = '/postgres';
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`CREATE DATABASE "${name}"`);
    await client.end();
    const url = new URL(base.database.url);
    url.pathname = `/${name}`;
    return new TestCaravan(name, url.toString(), base.redis.url, `caravan-test-${randomBytes(4).toString('hex')}`, env);
  }

  environment(overrides: Record<string, string> = {}): Record<string, string> {
    return { ...this.env, ...overrides };
  }

  async startApi(overrides: Record<string, string> = {}): Promise<ApiClient> {
    this.api = await CaravanProcess.start('api', this.environment(overrides));
    return this.rootClient();
  }

  async startAgent(overrides: Record<string, string> = {}): Promise<CaravanProcess> {
    this.agent = await CaravanProcess.start('agent', this.environment(overrides));
    return this.agent;
  }

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

  async destroy(): Promise<void> {
    await Promise.all([this.api?.stop(), this.agent?.stop()]);
    await this.db.end();
    const base = loadConfig();
    const admin = new URL(base.database.url);
    admin.pathname = '/postgres';
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS "${this.databaseName}" WITH (FORCE)`);
    await client.end();
    const redis = new Redis(this.redisUrl);
    const stream = redis.scanStream({ match: `${this.redisPrefix}:*`, count: 500 });
    for await (const keys of stream as AsyncIterable<string[]>) if (keys.length) await redis.del(...keys);
    await redis.quit();
  }
}
