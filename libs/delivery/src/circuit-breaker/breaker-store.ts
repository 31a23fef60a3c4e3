import { BreakerState } from './circuit-breaker-state';

/** A breaker's state with the version that compareAndSet checks; 0 means never written. */
export type VersionedBreakerState = BreakerState & { version: number };

/** How long a breaker nobody touches is kept; a forgotten breaker starts closed again. */
export const BREAKER_STATE_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Where CircuitBreaker keeps each endpoint's state. Writes are compare-and-set on a version, so
 * two agents (or two concurrent calls in one) cannot both move one breaker from the same state.
 */
export abstract class BreakerStore {
  abstract read(endpointId: string): Promise<VersionedBreakerState | null>;

  /**
   * Writes `next` as version expectedVersion + 1 if the stored version is still expectedVersion
   * (0: nothing stored), and restarts the entry's time to live. False when someone wrote first.
   */
  abstract compareAndSet(endpointId: string, expectedVersion: number, next: BreakerState): Promise<boolean>;

  abstract delete(endpointId: string): Promise<void>;

  /** Every stored state, for the open-breakers gauge read at each metrics scrape (not on any delivery path). */
  abstract all(): Promise<BreakerState[]>;
}

/** Breakers not closed now, by state; an open one whose timeout has passed counts as half-open, as its next admission makes it. */
export function notClosedCounts(states: BreakerState[], now: number): { open: number; half_open: number } {
  const counts = { open: 0, half_open: 0 };
  for (const state of states) {
    if (state.status === 'open' && state.openUntil > now) counts.open++;
    else if (state.status !== 'closed') counts.half_open++;
  }
  return counts;
}
