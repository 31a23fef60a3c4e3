import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { BreakerStore } from '../breaker-store';
import { CircuitBreaker } from '../circuit-breaker';
import { BreakerSettings, BreakerState, closedState } from '../circuit-breaker-state';

/** One breaker store on a clock the test can move. */
export interface BreakerStoreHarness {
  store: BreakerStore;
  /** A real sleep when the clock is real (Redis's), a step of the clock when it is fake. */
  passTime(ms: number): Promise<void>;
}

export interface BreakerStoreHarnessOptions {
  ttlMs: number;
}

/** Long enough that nothing expires during a test that is not about expiry. */
const LONG_TTL_MS = 60_000;
/** Short enough for a real clock to pass it quickly. */
const SHORT_TTL_MS = 150;

const NEVER_OPENS: BreakerSettings = {
  sampleWindowMs: 3_600_000,
  errorTimeoutMs: 30_000,
  failureThreshold: 100,
  successThreshold: 50,
  minimumRequestCount: 1_000_000,
  consecutiveFailureThreshold: 3,
};

const OPENS_AFTER_TWO_FAILURES: BreakerSettings = { ...NEVER_OPENS, minimumRequestCount: 2 };

/** The store, with one of its methods counting its calls (`calls`) before it does its work. */
function countingCalls(store: BreakerStore, method: 'read' | 'compareAndSet'): { store: BreakerStore; calls: number } {
  const counted = { store: Object.create(store) as BreakerStore, calls: 0 };
  const original = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
  (counted.store as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
    counted.calls++;
    return original(...args);
  };
  return counted;
}

function stateWith(failures: number): BreakerState {
  return { ...closedState(1000), failures };
}

/**
 * The behaviour every BreakerStore must have, alone and under CircuitBreaker. Call it inside the
 * describe that names the adapter; `makeHarness` is called once per test, and every test uses
 * endpoints of its own.
 */
export function breakerStoreContract(
  makeHarness: (options: BreakerStoreHarnessOptions) => BreakerStoreHarness,
): void {
  it('answers null for an endpoint never written', async () => {
    const { store } = makeHarness({ ttlMs: LONG_TTL_MS });
    assert.equal(await store.read(randomUUID()), null);
  });

  it('writes the first state at version 0 and reads it back as version 1', async () => {
    const { store } = makeHarness({ ttlMs: LONG_TTL_MS });
    const endpointId = randomUUID();
    assert.equal(await store.compareAndSet(endpointId, 0, stateWith(1)), true);
    assert.deepEqual(await store.read(endpointId), { ...stateWith(1), version: 1 });
  });

  it('refuses a write on a stale version and keeps the state that won', async () => {
    const { store } = makeHarness({ ttlMs: LONG_TTL_MS });
    const endpointId = randomUUID();
    await store.compareAndSet(endpointId, 0, stateWith(1));
    await store.compareAndSet(endpointId, 1, stateWith(2));
    assert.equal(await store.compareAndSet(endpointId, 1, stateWith(99)), false);
    assert.equal(await store.compareAndSet(endpointId, 0, stateWith(99)), false);
    assert.deepEqual(await store.read(endpointId), { ...stateWith(2), version: 2 });
  });

  it('lets exactly one of two writers racing from the same version win', async () => {
    const { store } = makeHarness({ ttlMs: LONG_TTL_MS });
    const endpointId = randomUUID();
    await store.compareAndSet(endpointId, 0, stateWith(1));
    const written = await Promise.all([
      store.compareAndSet(endpointId, 1, stateWith(2)),
      store.compareAndSet(endpointId, 1, stateWith(3)),
    ]);
    assert.deepEqual([...written].sort(), [false, true]);
    assert.equal((await store.read(endpointId))?.failures, written[0] ? 2 : 3);
  });

  it('forgets a deleted endpoint, which then starts again at version 0', async () => {
    const { store } = makeHarness({ ttlMs: LONG_TTL_MS });
    const endpointId = randomUUID();
    await store.compareAndSet(endpointId, 0, stateWith(1));
    await store.delete(endpointId);
    assert.equal(await store.read(endpointId), null);
    assert.equal(await store.compareAndSet(endpointId, 0, stateWith(5)), true);
    assert.equal((await store.read(endpointId))?.version, 1);
  });

  it('keeps each endpoint to its own state', async () => {
    const { store } = makeHarness({ ttlMs: LONG_TTL_MS });
    const [first, second] = [randomUUID(), randomUUID()];
    await store.compareAndSet(first, 0, stateWith(1));
    assert.equal(await store.read(second), null);
    assert.equal(await store.compareAndSet(second, 0, stateWith(7)), true);
    assert.equal((await store.read(first))?.failures, 1);
  });

  it('forgets an endpoint nobody wrote for the time to live', async () => {
    const { store, passTime } = makeHarness({ ttlMs: SHORT_TTL_MS });
    const endpointId = randomUUID();
    await store.compareAndSet(endpointId, 0, stateWith(1));
    await passTime(SHORT_TTL_MS + 50);
    assert.equal(await store.read(endpointId), null);
    assert.equal(
      await store.compareAndSet(endpointId, 0, stateWith(2)),
      true,
      'an expired entry counts as never written',
    );
  });

  it('restarts the time to live on every write', async () => {
    const { store, passTime } = makeHarness({ ttlMs: SHORT_TTL_MS });
    const endpointId = randomUUID();
    await store.compareAndSet(endpointId, 0, stateWith(1));
    await passTime(SHORT_TTL_MS * 0.6);
    await store.compareAndSet(endpointId, 1, stateWith(2));
    await passTime(SHORT_TTL_MS * 0.6);
    assert.equal((await store.read(endpointId))?.failures, 2);
  });

  it('counts every result that one agent records concurrently for one endpoint', async () => {
    const { store } = makeHarness({ ttlMs: LONG_TTL_MS });
    const endpointId = randomUUID();
    const breaker = new CircuitBreaker(store);
    await Promise.all(Array.from({ length: 50 }, () => breaker.record(endpointId, false, NEVER_OPENS)));
    assert.equal((await breaker.status(endpointId)).failures, 50);
  });

  it('writes the results recorded meanwhile for one endpoint together, not one write each', async () => {
    const { store } = makeHarness({ ttlMs: LONG_TTL_MS });
    const endpointId = randomUUID();
    const writes = countingCalls(store, 'compareAndSet');
    const breaker = new CircuitBreaker(writes.store);
    await Promise.all(Array.from({ length: 50 }, () => breaker.record(endpointId, true, NEVER_OPENS)));
    assert.equal((await breaker.status(endpointId)).successes, 50);
    // The first result is written alone; the 49 that came while it was in flight, in one more write.
    assert.ok(writes.calls <= 3, `${writes.calls} writes for 50 results`);
  });

  it("reads an endpoint's state once for the admissions of a moment, and goes by this agent's own writes at once", async () => {
    const { store } = makeHarness({ ttlMs: LONG_TTL_MS });
    const endpointId = randomUUID();
    const reads = countingCalls(store, 'read');
    const breaker = new CircuitBreaker(reads.store);
    for (let i = 0; i < 20; i++) assert.equal((await breaker.allow(endpointId, OPENS_AFTER_TWO_FAILURES)).allowed, true);
    assert.equal(reads.calls, 1);
    await breaker.record(endpointId, false, OPENS_AFTER_TWO_FAILURES);
    await breaker.record(endpointId, false, OPENS_AFTER_TWO_FAILURES);
    const gate = await breaker.allow(endpointId, OPENS_AFTER_TWO_FAILURES);
    assert.equal(gate.allowed, false, 'the circuit this agent just opened holds at once');
  });

  it('loses no result that several agents record concurrently for one endpoint', async () => {
    const { store } = makeHarness({ ttlMs: LONG_TTL_MS });
    const endpointId = randomUUID();
    const agents = Array.from({ length: 4 }, () => new CircuitBreaker(store));
    const outcomes = await Promise.allSettled(
      agents.flatMap((breaker) =>
        Array.from({ length: 10 }, () => breaker.record(endpointId, false, NEVER_OPENS)),
      ),
    );
    // An agent may give up on a contended breaker (the caller is told); a result it reports as counted must be.
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') assert.match(String(outcome.reason), /contended/);
    }
    const counted = outcomes.filter((outcome) => outcome.status === 'fulfilled').length;
    assert.ok(counted >= 10, `only ${counted} of 40 results were counted`);
    assert.equal((await agents[0].status(endpointId)).failures, counted);
  });

  it('closes an open circuit on reset', async () => {
    const { store } = makeHarness({ ttlMs: LONG_TTL_MS });
    const endpointId = randomUUID();
    const breaker = new CircuitBreaker(store);
    await breaker.record(endpointId, false, OPENS_AFTER_TWO_FAILURES);
    const verdict = await breaker.record(endpointId, false, OPENS_AFTER_TWO_FAILURES);
    assert.equal(verdict.tripped, true);
    assert.equal((await breaker.allow(endpointId, OPENS_AFTER_TWO_FAILURES)).allowed, false);
    await breaker.reset(endpointId);
    assert.equal((await breaker.status(endpointId)).status, 'closed');
    assert.equal((await breaker.allow(endpointId, OPENS_AFTER_TWO_FAILURES)).allowed, true);
  });

  it('writes nothing for an endpoint that is asked about but never fails', async () => {
    const { store } = makeHarness({ ttlMs: LONG_TTL_MS });
    const endpointId = randomUUID();
    assert.equal((await new CircuitBreaker(store).allow(endpointId, NEVER_OPENS)).allowed, true);
    assert.equal(await store.read(endpointId), null);
  });
}
