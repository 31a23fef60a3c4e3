import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RedeliveryBackoff } from './redelivery-backoff';

describe('RedeliveryBackoff', () => {
  it('doubles the delay with each consecutive failure up to the cap', () => {
    const backoff = new RedeliveryBackoff({ initialDelayMs: 100, maxDelayMs: 700 });
    assert.deepEqual(
      [1, 2, 3, 4, 5].map(() => backoff.nextDelayMs()),
      [100, 200, 400, 700, 700],
    );
  });

  it('starts over after a success', () => {
    const backoff = new RedeliveryBackoff({ initialDelayMs: 100, maxDelayMs: 10_000 });
    backoff.nextDelayMs();
    backoff.nextDelayMs();
    backoff.reset();
    assert.equal(backoff.nextDelayMs(), 100);
  });

  it('stays at the cap after very many failures instead of overflowing', () => {
    const backoff = new RedeliveryBackoff({ initialDelayMs: 1000, maxDelayMs: 60_000 });
    for (let i = 0; i < 2000; i++) backoff.nextDelayMs();
    assert.equal(backoff.nextDelayMs(), 60_000);
  });

  it('rejects a cap below the first delay', () => {
    assert.throws(() => new RedeliveryBackoff({ initialDelayMs: 500, maxDelayMs: 100 }), RangeError);
  });
});
