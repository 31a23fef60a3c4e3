import { ConsoleLogger, LogLevel } from '@nestjs/common';
import type { CaravanConfig } from './caravan-config';

// Nest's own start-up chatter (one line per module and route); kept at debug level.
const FRAMEWORK_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

/** Nest's logger levels for CARAVAN_LOG_LEVEL. */
export function nestLogLevels(config: CaravanConfig): LogLevel[] {
  const order: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  const last: LogLevel = ({ error: 'error', warn: 'warn', info: 'log', debug: 'verbose' } as const)[config.logLevel];
  return order.slice(0, order.indexOf(last) + 1);
}

export class CaravanLogger extends ConsoleLogger {
  constructor(private readonly config: CaravanConfig) {
    super({ logLevels: nestLogLevels(config) });
  }

  override log(message: unknown, context?: string): void {
    if (context && FRAMEWORK_CONTEXTS.has(context) && this.config.logLevel !== 'debug') return;
    super.log(message, context);
  }
}
