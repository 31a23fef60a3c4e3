import type { DataSource, QueryRunner } from 'typeorm';

/**
 * Runs a read on the read replica when one is configured (DATABASE_REPLICA_URL), else on the
 * primary. For lists and searches only: a replica lags, so a row written a moment ago may be
 * missing from it; reads by id and everything on the write path stay on the primary.
 */
export async function readFromReplica<T>(db: DataSource, read: (runner: QueryRunner) => Promise<T>): Promise<T> {
  const runner = db.createQueryRunner(hasReplica(db) ? 'slave' : 'master');
  try {
    return await read(runner);
  } finally {
    await runner.release();
  }
}

function hasReplica(db: DataSource): boolean {
  const options = db.options as { replication?: unknown };
  return options.replication !== undefined;
}
