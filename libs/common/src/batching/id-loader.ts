import { MicroBatcher } from './micro-batcher';

// Concurrent deliveries drift apart by a few hundred microseconds each; a millisecond lets them share a query.
const LOAD_WINDOW_MS = 1;

interface Owned {
  id: string;
}

/**
 * Loads rows by id, the lookups of one event-loop turn in one query (`id = ANY(...)`): concurrent
 * deliveries that each need their endpoint, project and event cost a round trip per kind, not per
 * delivery. Reads stay fresh: nothing is kept after the turn's query answers. `owner` says whether
 * a row belongs to the caller's scope (the tenant), so a batch never leaks across projects.
 */
export class IdLoader<E extends Owned, S = undefined> {
  private readonly batcher: MicroBatcher<{ id: string; scope: S }, E | null>;

  constructor(
    load: (ids: string[]) => Promise<E[]>,
    private readonly owner: (row: E, scope: S) => boolean = () => true,
  ) {
    this.batcher = new MicroBatcher(async (keys) => {
      const rows = await load([...new Set(keys.map((key) => key.id))]);
      const byId = new Map(rows.map((row) => [row.id, row]));
      const handedOut = new Set<string>();
      return keys.map(({ id, scope }) => {
        const row = byId.get(id);
        if (!row || !this.owner(row, scope)) return null;
        // Callers may change what they get; a second caller of the same id gets its own copy.
        if (handedOut.has(id)) return Object.assign(Object.create(Object.getPrototypeOf(row) as object) as E, row);
        handedOut.add(id);
        return row;
      });
    }, 1000, LOAD_WINDOW_MS);
  }

  load(id: string, scope: S): Promise<E | null> {
    return this.batcher.add({ id, scope });
  }
}
