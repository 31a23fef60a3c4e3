import type { CaravanConfig } from '@caravan/common';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../../migrations';
import { SnakeNamingStrategy } from './snake-naming.strategy';

export function dataSourceOptions(config: CaravanConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.database.url,
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
