export interface RateLimit {
  count: number;
  durationMs: number;
}

/**
 * How long a delivery to an endpoint must wait for its turn, by GCRA (the generic cell rate
 * algorithm) with reservation: `count` deliveries may go at once, then one every duration/count.
 * Each caller reserves the next free slot and waits for it without asking again, so a backlog
 * drains in order instead of every deferred delivery waking at the same moment and asking again.
 * RedisRateLimiter shares the slots between agents; InMemoryRateLimiter serves one process.
 */
export abstract class RateLimiter {
  /** Reserves the endpoint's next slot; answers the milliseconds until it (0: send now). */
  abstract reserve(endpointId: string, limit: RateLimit): Promise<number>;
}

/** The GCRA spacing of a limit: one slot per emission interval, `tolerance` of them usable in a burst. */
export function gcraIntervals(limit: RateLimit): { emissionMs: number; toleranceMs: number } {
  const emissionMs = limit.durationMs / limit.count;
  return { emissionMs, toleranceMs: limit.durationMs - emissionMs };
}
