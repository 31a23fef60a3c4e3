/**
 * Gathers the calls made in one turn of the event loop into one batch: under load, N concurrent
 * requests cost one round trip instead of N; alone, a call waits no longer than a setImmediate.
 * Each caller gets its own item's result, or the error of the batch it was in.
 */
export class MicroBatcher<T, R> {
  private pending: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    /** Must answer one result per item, in order. */
    private readonly flush: (items: T[]) => Promise<R[]>,
    private readonly maxBatch = 500,
    /** 0: the calls of one event-loop turn. More gathers calls that arrive a little apart, at that much latency. */
    private readonly windowMs = 0,
  ) {}

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.maxBatch) void this.run();
      else if (!this.scheduled) {
        this.scheduled = true;
        if (this.windowMs > 0) setTimeout(() => void this.run(), this.windowMs);
        else setImmediate(() => void this.run());
      }
    });
  }

  private async run(): Promise<void> {
    this.scheduled = false;
    const batch = this.pending;
    if (batch.length === 0) return;
    this.pending = [];
    try {
      const results = await this.flush(batch.map((entry) => entry.item));
      if (results.length !== batch.length) throw new Error(`a batch of ${batch.length} got ${results.length} results`);
      batch.forEach((entry, i) => entry.resolve(results[i]));
    } catch (error) {
      batch.forEach((entry) => entry.reject(error));
    }
  }
}
