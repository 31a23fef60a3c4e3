import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

export type RetryStrategy = 'linear' | 'exponential';

/** How a failed delivery is retried. `retry_count` counts retries after the first attempt. */
export interface RetryConfig {
  strategy: RetryStrategy;
  interval_seconds: number;
  retry_count: number;
  max_interval_seconds: number;
  /** Give up at once on a 4xx other than 408, 409, 425 and 429: the request itself is wrong. */
  stop_on_4xx: boolean;
}

export const DEFAULT_RETRY_CONFIG: RetryConfig = {
  strategy: 'exponential',
  interval_seconds: 10,
  retry_count: 10,
  max_interval_seconds: 3600,
  stop_on_4xx: false,
};

/** A whole or partial retry config; absent fields fall back to the level above. */
export class RetryConfigDto implements Partial<RetryConfig> {
  @ApiPropertyOptional({ enum: ['linear', 'exponential'] })
  @IsOptional()
  @IsIn(['linear', 'exponential'])
  strategy?: RetryStrategy;

  @ApiPropertyOptional({ description: 'Delay before the first retry (fractions allowed).', minimum: 0.1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(86400)
  interval_seconds?: number;

  @ApiPropertyOptional({ description: 'Retries after the first attempt before the delivery fails.', minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  retry_count?: number;

  @ApiPropertyOptional({ description: 'Upper bound on any one delay.', minimum: 1 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0.1)
  @Max(7 * 86400)
  max_interval_seconds?: number;

  @ApiPropertyOptional({ default: false, description: 'Stop retrying on a 4xx other than 408, 409, 425, 429.' })
  @IsOptional()
  @IsBoolean()
  stop_on_4xx?: boolean;
}

export function mergeRetryConfig(base: RetryConfig, override?: Partial<RetryConfig> | null): RetryConfig {
  if (!override) return base;
  const merged = { ...base };
  for (const key of Object.keys(base) as (keyof RetryConfig)[]) {
    if (override[key] !== undefined && override[key] !== null) (merged as Record<string, unknown>)[key] = override[key];
  }
  return merged;
}
