import { LogLevel } from '@nestjs/common';
import type { CaravanConfig } from './caravan-config';

/** Nest's logger levels for CARAVAN_LOG_LEVEL. */
export function nestLogLevels(config: CaravanConfig): LogLevel[] {
  const order: LogLevel[] = ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'];
  const last: LogLevel = ({ error: 'error', warn: 'warn', info: 'log', debug: 'verbose' } as const)[config.logLevel];
  return order.slice(0, order.indexOf(last) + 1);
}
