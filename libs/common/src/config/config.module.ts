import { DynamicModule, Global, Module } from '@nestjs/common';
import { CaravanConfig } from './caravan-config';

export const CARAVAN_CONFIG = Symbol('CARAVAN_CONFIG');

/** Provides the config that main() loaded and validated before Nest started. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: CaravanConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: CARAVAN_CONFIG, useValue: config }],
      exports: [CARAVAN_CONFIG],
    };
  }
}
