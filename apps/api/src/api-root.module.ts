import { DynamicModule, Module } from '@nestjs/common';
import { CaravanConfig } from '@caravan/common';
import { InfrastructureModule } from '@caravan/database';
import { ApiModule } from './api.module';

@Module({})
class ApiRootModule {}

/**
 * The control plane's module tree. `alongside` adds modules to the same application: `npm start`
 * passes the agent so both share one process, one pool and one HTTP port.
 */
export function apiRootModule(config: CaravanConfig, alongside: DynamicModule[] = []): DynamicModule {
  return { module: ApiRootModule, imports: [InfrastructureModule.forRoot(config), ApiModule, ...alongside] };
}
