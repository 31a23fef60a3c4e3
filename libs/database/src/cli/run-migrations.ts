import { ConfigError, loadConfig, requireExternalStorage } from '@caravan/common';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../data-source-options';
import { ensureDatabaseExists, runPendingMigrations } from '../migration-runner';

/** `npm run migration:run`: applies pending migrations and exits. */
async function main(): Promise<void> {
  // No migration reads or writes sealed secrets, so a migration job runs with the database URL alone.
  const config = loadConfig(undefined, { usesEncryptionKey: false });
  // The embedded mode applies migrations at every start.
  requireExternalStorage(config, 'migration command');
  await ensureDatabaseExists(config.database.url);
  const dataSource = await new DataSource(dataSourceOptions(config)).initialize();
  try {
    const applied = await runPendingMigrations(dataSource);
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
