/**
 * Values read a moment ago, kept for `maxAgeMs`: settings a hot path reads on every delivery
 * (a project's config) cost a query per second per key instead of one per delivery. Changes made
 * by another process show after at most `maxAgeMs`; the process that makes one calls forget().
 * Bounded: past `maxEntries` the oldest entry goes.
 */
export class RecentValues<V> {
  private readonly entries = new Map<string, { value: V; storedAt: number }>();
  /** One load per key at a time: when an entry expires under load, its callers share one query. */
  private readonly loading = new Map<string, Promise<V>>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * `load` gets the expired value, if any, so a loader can check cheaply whether it is still
   * current and keep what it built from it (compiled validators) instead of building it again.
   */
  async get(key: string, load: (expired: V | undefined) => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.storedAt < this.maxAgeMs) return entry.value;
    const pending = this.loading.get(key);
    if (pending) return pending;
    let loading: Promise<V> | undefined = undefined;
    loading = (async () => {
      try {
        // After a tick, so `loading` is set even when load() throws at once.
        const value = await Promise.resolve().then(() => load(entry?.value));
        // forget() during the load: what it read may predate the change, so it is not kept.
        if (this.loading.get(key) === loading) this.store(key, value);
        return value;
      } finally {
        if (this.loading.get(key) === loading) this.loading.delete(key);
      }
    })();
    this.loading.set(key, loading);
    return loading;
  }

  /** This process wrote `value` itself: it is current now, with no read needed. */
  remember(key: string, value: V): void {
    this.loading.delete(key);
    this.store(key, value);
  }

  forget(key: string): void {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  /** Everything kept, and every load under way, is dropped. */
  clear(): void {
    this.entries.clear();
    this.loading.clear();
  }

  private store(key: string, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: this.now() });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}
