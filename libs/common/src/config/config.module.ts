import { DynamicModule, Global, Module } from '@nestjs/common';
import { resolveEncryptionKey } from '../crypto/encryption-key';
import { SecretBox } from '../crypto/secret-box';
import { TracingShutdown } from '../telemetry/tracing';
import { CaravanConfig } from './caravan-config';

export const CARAVAN_CONFIG = Symbol('CARAVAN_CONFIG');

/** Provides the config that main() loaded and validated before Nest started, and the secret box; flushes traces at shutdown. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: CaravanConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: CARAVAN_CONFIG, useValue: config },
        { provide: SecretBox, useFactory: () => new SecretBox(resolveEncryptionKey(config)) },
        TracingShutdown,
      ],
      exports: [CARAVAN_CONFIG, SecretBox],
    };
  }
}
