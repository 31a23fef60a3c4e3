import type { CaravanConfig } from '@caravan/common';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export function dataSourceOptions(config: CaravanConfig): DataSourceOptions {
  const { url, replicaUrl } = config.database;
  return {
    type: 'postgres',
    // With a replica, reads still go to the primary unless a query asks for the replica
    // (ReplicaReads): a client that writes and reads back must see its write.
    ...(replicaUrl ? { replication: { master: { url }, slaves: [{ url: replicaUrl }], defaultMode: 'master' as const } } : { url }),
    synchronize: false,
    migrationsRun: false,
    migrations: MIGRATIONS,
    migrationsTableName: 'caravan_migrations',
    namingStrategy: new SnakeNamingStrategy(),
    extra: {
      max: config.database.poolSize,
      application_name: 'caravan',
    },
    logging: ['error', 'warn'],
  };
}
