import { RecentValues } from '@caravan/common';
import { ConfigChange, ConfigChanges } from './config-changes';

/** A bound on an entry's age even while the feed is live: a missed notification cannot last. */
const MAX_AGE_MS = 60_000;

/**
 * Values read from projects, endpoints or subscriptions, kept until ConfigChanges announces a
 * change to them. While the feed is not live every get() reads the database, so a value is never
 * older than the last change that could be heard.
 */
export class NotifiedCache<V> {
  private readonly values: RecentValues<V>;
  private subscribed = false;

  constructor(
    private readonly changes: ConfigChanges,
    /** The key a change makes stale, if any. */
    private readonly keyOf: (change: ConfigChange) => string | null,
    maxEntries = 10_000,
  ) {
    this.values = new RecentValues<V>(MAX_AGE_MS, maxEntries);
  }

  get(key: string, load: () => Promise<V>): Promise<V> {
    if (!this.subscribed) {
      this.subscribed = true;
      this.changes.subscribe((change) => {
        if (!change) return this.values.clear();
        const stale = this.keyOf(change);
        if (stale !== null) this.values.forget(stale);
      });
    }
    if (!this.changes.live) return load();
    return this.values.get(key, load);
  }
}
