import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CaravanConfig } from '@caravan/common';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { ensureDatabaseExists, runPendingMigrations } from './migration-runner';

export class SchemaBehindError extends Error {
  constructor() {
    super('the database schema is behind this version of Caravan: run `npm run migration:run` (or set CARAVAN_MIGRATE=true)');
  }
}

@Module({})
export class DatabaseModule {
  static forRoot(config: CaravanConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          // Connection errors are retried (Postgres may still be starting); a schema that is behind is not.
          useFactory: () => ({
            ...dataSourceOptions(config),
            autoLoadEntities: true,
            retryAttempts: 10,
            retryDelay: 2000,
            toRetry: (error: unknown) => !(error instanceof SchemaBehindError),
          }),
          dataSourceFactory: async (options) => {
            const embedded = config.storage === 'embedded';
            if (config.database.migrate && !embedded) await ensureDatabaseExists(config.database.url);
            const dataSource = await new DataSource(options!).initialize();
            if (config.database.migrate) {
              const applied = await runPendingMigrations(dataSource, embedded);
              if (applied.length > 0) new Logger('Database').log(`applied migrations: ${applied.join(', ')}`);
            } else if (await dataSource.showMigrations()) {
              // Serving on an old schema would fail request by request; refuse once, clearly.
              await dataSource.destroy();
              throw new SchemaBehindError();
            }
            return dataSource;
          },
        }),
      ],
    };
  }
}
