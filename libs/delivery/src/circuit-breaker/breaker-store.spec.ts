import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { notClosedCounts } from './breaker-store';
import { closedState } from './circuit-breaker-state';
import { InMemoryBreakerStore } from './in-memory-breaker-store';

describe('open breakers, as the metrics gauge counts them', () => {
  it('counts open circuits until their timeout, then as half-open, and never closed ones', () => {
    const now = 10_000;
    const closed = closedState(now);
    const states = [
      { ...closed, failures: 3 },
      { ...closed, status: 'open' as const, openUntil: now + 1 },
      { ...closed, status: 'open' as const, openUntil: now - 1 },
      { ...closed, status: 'half_open' as const },
    ];
    assert.deepEqual(notClosedCounts(states, now), { open: 1, half_open: 2 });
  });

  it('lists the live states of the in-memory store, not expired ones', async () => {
    let now = 0;
    const store = new InMemoryBreakerStore({ ttlMs: 100, now: () => now });
    await store.compareAndSet('e1', 0, { ...closedState(0), status: 'open', openUntil: 50 });
    now = 60;
    await store.compareAndSet('e2', 0, { ...closedState(60), failures: 1 });
    assert.deepEqual((await store.all()).map((s) => s.status).sort(), ['closed', 'open']);
    now = 120;
    assert.deepEqual((await store.all()).map((s) => s.status), ['closed']);
  });
});
