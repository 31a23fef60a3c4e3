import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { loadConfig } from '@caravan/common';
import { dataSourceOptions } from '../data-source-options';
import { runPendingMigrations } from '../migration-runner';

/** A database of its own on the local PostgreSQL the suites use, migrated, for specs that need real SQL. */
export class TemporaryDatabase {
  private constructor(
    private readonly admin: Client,
    private readonly name: string,
    readonly url: string,
    readonly db: DataSource,
  ) {}

  /** `entities`: those the spec reads and writes through TypeORM repositories. */
  static async create(entities: DataSourceOptions['entities'] = []): Promise<TemporaryDatabase> {
    const server = new URL(loadConfig({ CARAVAN_STORAGE: 'external' }).database.url);
    const admin = new Client({ connectionString: Object.assign(new URL(server), { pathname: '/postgres' }).toString() });
    await admin.connect();
    const name = `caravan_test_${randomUUID().replace(/-/g, '')}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    const url = Object.assign(new URL(server), { pathname: `/${name}` }).toString();
    const options = dataSourceOptions(loadConfig({ DATABASE_URL: url, CARAVAN_STORAGE: 'external' }));
    const db = await new DataSource({ ...options, entities } as DataSourceOptions).initialize();
    await runPendingMigrations(db, false);
    return new TemporaryDatabase(admin, name, url, db);
  }

  /** Terminates the sessions of the connections whose application_name is given. */
  async disconnect(applicationName: string): Promise<void> {
    await this.admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = $2`, [
      applicationName,
      this.name,
    ]);
  }

  async drop(): Promise<void> {
    await this.db.destroy();
    await this.admin.query(`DROP DATABASE IF EXISTS "${this.name}" WITH (FORCE)`);
    await this.admin.end();
  }
}
