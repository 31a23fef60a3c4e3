interface Waiting<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Per key, one run at a time, different keys side by side; the calls that arrive for a key while
 * its run is in flight go together into its next run. The busier a key, the larger its runs, so
 * work that must take turns per key (a read-modify-write) does not queue one call behind another.
 */
export class KeyedCoalescer<T, R> {
  private readonly waiting = new Map<string, Waiting<T, R>[]>();

  constructor(
    /** Must answer one result per item, in order. */
    private readonly run: (key: string, items: T[]) => Promise<R[]>,
    /** Least time from the start of one run of a key to the next: more calls share each run. */
    private readonly minIntervalMs = 0,
  ) {}

  add(key: string, item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queued = this.waiting.get(key);
      if (queued) {
        queued.push({ item, resolve, reject });
        return;
      }
      const first: Waiting<T, R>[] = [{ item, resolve, reject }];
      this.waiting.set(key, first);
      void this.drain(key, first);
    });
  }

  /** Keys with calls queued or running; for tests. */
  get busyKeys(): number {
    return this.waiting.size;
  }

  private async drain(key: string, first: Waiting<T, R>[]): Promise<void> {
    let batch = first;
    while (batch.length > 0) {
      // Calls from here on wait for the next run.
      const next: Waiting<T, R>[] = [];
      this.waiting.set(key, next);
      const startedAt = Date.now();
      try {
        const results = await this.run(key, batch.map((entry) => entry.item));
        if (results.length !== batch.length) throw new Error(`a run of ${batch.length} got ${results.length} results`);
        batch.forEach((entry, i) => entry.resolve(results[i]));
      } catch (error) {
        batch.forEach((entry) => entry.reject(error));
      }
      const wait = startedAt + this.minIntervalMs - Date.now();
      // Calls that come meanwhile still join `next`.
      if (next.length > 0 && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      batch = next;
    }
    this.waiting.delete(key);
  }
}
