import { DynamicModule, Global, Module } from '@nestjs/common';
import { CaravanConfig } from '@caravan/common';
import { ConfigChanges, NoConfigChanges } from './config-changes';
import { PostgresConfigChanges } from './postgres-config-changes';

/** One feed per process. Embedded storage has none: PGlite serves one connection, and one process writes it. */
@Global()
@Module({})
export class ConfigChangesModule {
  static forRoot(config: CaravanConfig): DynamicModule {
    const listen = config.storage !== 'embedded' && config.database.listenForChanges;
    return {
      module: ConfigChangesModule,
      providers: [
        { provide: ConfigChanges, useFactory: () => (listen ? new PostgresConfigChanges(config.database.url) : new NoConfigChanges()) },
      ],
      exports: [ConfigChanges],
    };
  }
}
