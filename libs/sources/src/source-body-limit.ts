import type { Source } from './entities/source.entity';

/** A source's own limit, else CARAVAN_BODY_LIMIT_BYTES (`defaultLimitBytes`). */
export function bodyLimitOf(source: Source, defaultLimitBytes: number): number {
  return source.bodyLimitBytes ?? defaultLimitBytes;
}
