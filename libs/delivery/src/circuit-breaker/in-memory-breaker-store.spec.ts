import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closedState } from './circuit-breaker-state';
import { InMemoryBreakerStore } from './in-memory-breaker-store';
import { breakerStoreContract } from './testing/breaker-store-contract';

function manualClock() {
  let now = 1_700_000_000_000;
  return { now: () => now, passTime: async (ms: number) => void (now += ms) };
}

describe('InMemoryBreakerStore', () => {
  breakerStoreContract(({ ttlMs }) => {
    const clock = manualClock();
    return { store: new InMemoryBreakerStore({ ttlMs, now: clock.now }), passTime: clock.passTime };
  });

  it('drops expired endpoints, so memory follows the endpoints written within the time to live', async () => {
    const clock = manualClock();
    const store = new InMemoryBreakerStore({ ttlMs: 1000, now: clock.now });
    let most = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 1000; i++)
        await store.compareAndSet(`endpoint-${round}-${i}`, 0, closedState(clock.now()));
      most = Math.max(most, store.trackedEndpoints);
      await clock.passTime(1000);
    }
    assert.ok(most <= 3000, `held ${most} endpoints at most, of 20 000 written, 1000 at a time`);
  });

  it('drops an expired endpoint when it is read', async () => {
    const clock = manualClock();
    const store = new InMemoryBreakerStore({ ttlMs: 1000, now: clock.now });
    await store.compareAndSet('gone', 0, closedState(clock.now()));
    await clock.passTime(1000);
    assert.equal(await store.read('gone'), null);
    assert.equal(store.trackedEndpoints, 0);
  });

  it('hands out copies, so changing what was read leaves the stored state alone', async () => {
    const store = new InMemoryBreakerStore();
    await store.compareAndSet('endpoint', 0, closedState(0));
    const read = await store.read('endpoint');
    read!.failures = 42;
    assert.equal((await store.read('endpoint'))?.failures, 0);
  });
});
