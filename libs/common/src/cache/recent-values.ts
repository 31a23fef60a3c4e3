/**
 * Values read a moment ago, kept for `maxAgeMs`: settings a hot path reads on every delivery
 * (a project's config) cost a query per second per key instead of one per delivery. Changes made
 * by another process show after at most `maxAgeMs`; the process that makes one calls forget().
 * Bounded: past `maxEntries` the oldest entry goes.
 */
export class RecentValues<V> {
  private readonly entries = new Map<string, { value: V; storedAt: number }>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  async get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);
    if (entry && this.now() - entry.storedAt < this.maxAgeMs) return entry.value;
    const value = await load();
    this.entries.delete(key);
    this.entries.set(key, { value, storedAt: this.now() });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }
}
