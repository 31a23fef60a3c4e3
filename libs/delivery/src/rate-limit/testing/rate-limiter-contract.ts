import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { RateLimit, RateLimiter } from '../rate-limiter';

/** One rate limiter on a clock the test can move. */
export interface RateLimiterHarness {
  limiter: RateLimiter;
  /** A real sleep when the clock is real (Redis's), a step of the clock when it is fake. */
  passTime(ms: number): Promise<void>;
}

interface TimedWait {
  waitMs: number;
  /** Real time from before the first reservation to after this one: how much a real clock may have moved. */
  elapsedMs: number;
}

async function reserveInTurn(
  limiter: RateLimiter,
  endpointId: string,
  limit: RateLimit,
  times: number,
): Promise<TimedWait[]> {
  const start = Date.now();
  const waits: TimedWait[] = [];
  for (let i = 0; i < times; i++) {
    const waitMs = await limiter.reserve(endpointId, limit);
    waits.push({ waitMs, elapsedMs: Date.now() - start });
  }
  return waits;
}

/** A wait points at the slot `slotMs` after the first reservation: less only by the time that has passed since. */
function assertSlot({ waitMs, elapsedMs }: TimedWait, slotMs: number, what: string) {
  const [least, most] = [Math.round(slotMs) - elapsedMs - 1, Math.round(slotMs) + 1];
  assert.ok(waitMs >= least && waitMs <= most, `${what}: waits ${waitMs} ms, expected ${least}..${most}`);
}

const waitsOf = (waits: TimedWait[]) => waits.map((wait) => wait.waitMs);

/**
 * The behaviour every RateLimiter must have. Call it inside the describe that names the adapter;
 * `makeHarness` is called once per test, and every test uses endpoints of its own.
 */
export function rateLimiterContract(makeHarness: () => RateLimiterHarness): void {
  it('lets `count` deliveries go at once, then makes the next wait one interval', async () => {
    const { limiter } = makeHarness();
    const waits = await reserveInTurn(limiter, randomUUID(), { count: 3, durationMs: 1000 }, 4);
    assert.deepEqual(waitsOf(waits.slice(0, 3)), [0, 0, 0]);
    assertSlot(waits[3], 1000 / 3, 'the 4th of 3 per second');
  });

  it('lets a whole burst go at once whatever the count, without float noise turning a slot into a 1 ms wait', async () => {
    const { limiter } = makeHarness();
    for (const count of [6, 7, 10, 11, 100]) {
      const waits = await reserveInTurn(limiter, randomUUID(), { count, durationMs: 1000 }, count);
      assert.deepEqual(waitsOf(waits), Array(count).fill(0), `a burst of ${count} per second`);
    }
  });

  it('queues reservations beyond the burst in order, one interval apart', async () => {
    const { limiter } = makeHarness();
    const waits = await reserveInTurn(limiter, randomUUID(), { count: 3, durationMs: 1000 }, 9);
    for (let i = 3; i < 9; i++) assertSlot(waits[i], ((i - 2) * 1000) / 3, `reservation ${i + 1}`);
  });

  it('gives concurrent reservations distinct slots, none twice', async () => {
    const { limiter } = makeHarness();
    const endpointId = randomUUID();
    const start = Date.now();
    const waits = await Promise.all(
      Array.from({ length: 6 }, () => limiter.reserve(endpointId, { count: 1, durationMs: 500 })),
    );
    const elapsedMs = Date.now() - start;
    waits.sort((a, b) => a - b);
    waits.forEach((waitMs, i) => assertSlot({ waitMs, elapsedMs }, i * 500, `slot ${i}`));
  });

  it('keeps each endpoint to its own slots', async () => {
    const { limiter } = makeHarness();
    const [busy, idle] = [randomUUID(), randomUUID()];
    const busyWaits = await reserveInTurn(limiter, busy, { count: 2, durationMs: 1000 }, 3);
    assert.ok(busyWaits[2].waitMs > 0, 'the busy endpoint is limited');
    assert.deepEqual(waitsOf(await reserveInTurn(limiter, idle, { count: 2, durationMs: 1000 }, 2)), [0, 0]);
  });

  it('frees one slot per interval as time passes', async () => {
    const { limiter, passTime } = makeHarness();
    const endpointId = randomUUID();
    const limit = { count: 3, durationMs: 600 };
    assert.deepEqual(waitsOf(await reserveInTurn(limiter, endpointId, limit, 3)), [0, 0, 0]);
    await passTime(220);
    assert.equal(await limiter.reserve(endpointId, limit), 0, 'one slot freed after one interval');
    const next = await limiter.reserve(endpointId, limit);
    assert.ok(next > 0 && next <= 200, `only one slot freed: the next waits ${next} ms`);
  });

  it('gives the whole burst again after a full idle duration', async () => {
    const { limiter, passTime } = makeHarness();
    const endpointId = randomUUID();
    const limit = { count: 3, durationMs: 300 };
    await reserveInTurn(limiter, endpointId, limit, 3);
    await passTime(320);
    const waits = waitsOf(await reserveInTurn(limiter, endpointId, limit, 4));
    assert.deepEqual(waits.slice(0, 3), [0, 0, 0]);
    assert.ok(waits[3] > 0, 'the 4th waits again');
  });
}
