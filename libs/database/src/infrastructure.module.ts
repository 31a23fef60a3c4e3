import { DynamicModule, Module } from '@nestjs/common';
import { CaravanConfig, ConfigModule } from '@caravan/common';
import { QueueModule } from '@caravan/queue';
import { ConfigChangesModule } from './changes/config-changes.module';
import { DatabaseModule } from './database.module';

/** Config, Postgres and the queue: what every Caravan process stands on, created once per process. */
@Module({})
export class InfrastructureModule {
  static forRoot(config: CaravanConfig): DynamicModule {
    return {
      module: InfrastructureModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule.forRoot(config), ConfigChangesModule.forRoot(config), QueueModule.forRoot(config)],
    };
  }
}
