import { BreakerState } from './circuit-breaker-state';
import { BREAKER_STATE_TTL_MS, BreakerStore, VersionedBreakerState } from './breaker-store';

/** Below this many endpoints the map is never swept; above it, each time it has doubled since the last sweep. */
const SWEEP_FLOOR = 1024;

export interface InMemoryBreakerStoreOptions {
  ttlMs?: number;
  /** Milliseconds since the epoch; tests move it by hand. */
  now?: () => number;
}

interface Entry {
  state: VersionedBreakerState;
  expiresAt: number;
}

/**
 * Breakers of one process (embedded mode). Entries expire like Redis keys: a read ignores and drops
 * an expired one, and sweeps drop the rest, so memory follows the endpoints used within the TTL.
 */
export class InMemoryBreakerStore extends BreakerStore {
  private readonly entries = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly now: () => number;
  private sweepAt = SWEEP_FLOOR;

  constructor(options: InMemoryBreakerStoreOptions = {}) {
    super();
    this.ttlMs = options.ttlMs ?? BREAKER_STATE_TTL_MS;
    this.now = options.now ?? (() => Date.now());
  }

  /** Endpoints holding an entry, expired or not; for tests and metrics. */
  get trackedEndpoints(): number {
    return this.entries.size;
  }

  async read(endpointId: string): Promise<VersionedBreakerState | null> {
    const state = this.live(endpointId);
    // A copy, as Redis would give: a caller changing it must not change the stored state.
    return state ? { ...state } : null;
  }

  async compareAndSet(endpointId: string, expectedVersion: number, next: BreakerState): Promise<boolean> {
    if ((this.live(endpointId)?.version ?? 0) !== expectedVersion) return false;
    const now = this.now();
    this.entries.set(endpointId, {
      state: { ...next, version: expectedVersion + 1 },
      expiresAt: now + this.ttlMs,
    });
    if (this.entries.size >= this.sweepAt) this.sweep(now);
    return true;
  }

  async delete(endpointId: string): Promise<void> {
    this.entries.delete(endpointId);
  }

  async all(): Promise<VersionedBreakerState[]> {
    const now = this.now();
    return [...this.entries.values()].filter((entry) => entry.expiresAt > now).map((entry) => entry.state);
  }

  private live(endpointId: string): VersionedBreakerState | null {
    const entry = this.entries.get(endpointId);
    if (!entry) return null;
    if (entry.expiresAt > this.now()) return entry.state;
    this.entries.delete(endpointId);
    return null;
  }

  private sweep(now: number): void {
    for (const [endpointId, entry] of this.entries)
      if (entry.expiresAt <= now) this.entries.delete(endpointId);
    this.sweepAt = Math.max(SWEEP_FLOOR, this.entries.size * 2);
  }
}
