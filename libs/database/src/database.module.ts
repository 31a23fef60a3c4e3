import { DynamicModule, Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CaravanConfig } from '@caravan/common';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';
import { ensureDatabaseExists, runPendingMigrations } from './migration-runner';

@Module({})
export class DatabaseModule {
  static forRoot(config: CaravanConfig): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({ ...dataSourceOptions(config), autoLoadEntities: true }),
          dataSourceFactory: async (options) => {
            if (config.database.migrate) await ensureDatabaseExists(config.database.url);
            const dataSource = await new DataSource(options!).initialize();
            if (config.database.migrate) {
              const applied = await runPendingMigrations(dataSource);
              if (applied.length > 0) new Logger('Database').log(`applied migrations: ${applied.join(', ')}`);
            }
            return dataSource;
          },
        }),
      ],
    };
  }
}
