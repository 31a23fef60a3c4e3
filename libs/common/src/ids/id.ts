import { uuidv7 } from 'uuidv7';

/** Ids are UUIDv7: time-ordered, so `ORDER BY id` is creation order and serves as a cursor. */
export function newId(): string {
  return uuidv7();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * The smallest or largest UUIDv7 that can carry `time`. Comparing ids with these bounds lets a
 * time-range filter use the (project_id, id) index instead of scanning created_at.
 */
export function idBoundAt(time: Date, bound: 'lowest' | 'highest'): string {
  const ms = Math.max(0, Math.min(time.getTime(), 2 ** 48 - 1));
  const hex = ms.toString(16).padStart(12, '0');
  const time48 = `${hex.slice(0, 8)}-${hex.slice(8, 12)}`;
  return bound === 'lowest' ? `${time48}-7000-8000-000000000000` : `${time48}-7fff-bfff-ffffffffffff`;
}
