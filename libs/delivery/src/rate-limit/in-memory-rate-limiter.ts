import { gcraIntervals, RateLimit, RateLimiter } from './rate-limiter';

/** Below this many endpoints the map is never swept; above it, each time it has doubled since the last sweep. */
const SWEEP_FLOOR = 1024;

export interface InMemoryRateLimiterOptions {
  /** Milliseconds since the epoch; tests move it by hand. */
  now?: () => number;
}

/**
 * Rate limits of one process (embedded mode), with the same GCRA reservation as RedisRateLimiter.
 * An entry whose TAT (theoretical arrival time) has passed means the same as none, so sweeps drop
 * such entries: memory follows the endpoints with reservations ahead, not every endpoint ever seen.
 */
export class InMemoryRateLimiter extends RateLimiter {
  private readonly tats = new Map<string, number>();
  private readonly now: () => number;
  private sweepAt = SWEEP_FLOOR;

  constructor(options: InMemoryRateLimiterOptions = {}) {
    super();
    this.now = options.now ?? (() => Date.now());
  }

  /** Endpoints holding an entry; for tests and metrics. */
  get trackedEndpoints(): number {
    return this.tats.size;
  }

  async reserve(endpointId: string, limit: RateLimit): Promise<number> {
    const now = this.now();
    const { emissionMs, toleranceMs } = gcraIntervals(limit);
    const tat = Math.max(this.tats.get(endpointId) ?? now, now);
    this.tats.set(endpointId, tat + emissionMs);
    if (this.tats.size >= this.sweepAt) this.sweep(now);
    // Rounded, not ceiled, as in Redis: float noise must not turn a free slot into a 1 ms wait.
    return Math.max(0, Math.round(tat - toleranceMs - now));
  }

  private sweep(now: number): void {
    for (const [endpointId, tat] of this.tats) if (tat <= now) this.tats.delete(endpointId);
    this.sweepAt = Math.max(SWEEP_FLOOR, this.tats.size * 2);
  }
}
