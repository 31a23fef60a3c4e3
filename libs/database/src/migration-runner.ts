import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import { DataSource } from 'typeorm';

// Any fixed 64-bit number: serialises migration runs of every Caravan process on one database.
const MIGRATION_LOCK_KEY = 7_310_425_118;

/** Creates the configured database when it does not exist yet, so `npm start` works on a fresh server. */
export async function ensureDatabaseExists(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!name) return;
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`).catch((error: { code?: string }) => {
        // 42P04 / 23505: another process created it meanwhile.
        if (error.code !== '42P04' && error.code !== '23505') throw error;
      });
      new Logger('Database').log(`created database ${name}`);
    }
  } finally {
    await client.end();
  }
}

/**
 * Runs pending migrations under an advisory lock, so api and agents booting together do not race.
 * `alone`: this process is the only one (the embedded mode, whose data directory lock says so); no
 * lock is taken, which matters there because the lock's session would hold the only connection.
 */
export async function runPendingMigrations(dataSource: DataSource, alone = false): Promise<string[]> {
  if (alone) return (await dataSource.runMigrations({ transaction: 'each' })).map((migration) => migration.name);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      return applied.map((migration) => migration.name);
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await runner.release();
  }
}
