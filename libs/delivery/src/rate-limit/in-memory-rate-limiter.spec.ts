import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InMemoryRateLimiter } from './in-memory-rate-limiter';
import { rateLimiterContract } from './testing/rate-limiter-contract';

function manualClock() {
  let now = 1_700_000_000_000;
  return { now: () => now, passTime: async (ms: number) => void (now += ms) };
}

describe('InMemoryRateLimiter', () => {
  rateLimiterContract(() => {
    const clock = manualClock();
    return { limiter: new InMemoryRateLimiter({ now: clock.now }), passTime: clock.passTime };
  });

  it('forgets endpoints whose reservations have passed, so memory follows the busy endpoints only', async () => {
    const clock = manualClock();
    const limiter = new InMemoryRateLimiter({ now: clock.now });
    const limit = { count: 5, durationMs: 1000 };
    let most = 0;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 1000; i++) await limiter.reserve(`endpoint-${round}-${i}`, limit);
      most = Math.max(most, limiter.trackedEndpoints);
      await clock.passTime(1000);
    }
    assert.ok(most <= 3000, `held ${most} endpoints at most, of 20 000 seen, 1000 at a time`);
  });

  it('keeps an endpoint whose reservations are still ahead through a sweep', async () => {
    const clock = manualClock();
    const limiter = new InMemoryRateLimiter({ now: clock.now });
    const limit = { count: 1, durationMs: 60_000 };
    await limiter.reserve('busy', limit);
    await clock.passTime(1000);
    for (let i = 0; i < 5000; i++) await limiter.reserve(`other-${i}`, { count: 1, durationMs: 10 });
    const wait = await limiter.reserve('busy', limit);
    assert.ok(wait > 58_000, `still limited: waits ${wait} ms`);
  });
});
