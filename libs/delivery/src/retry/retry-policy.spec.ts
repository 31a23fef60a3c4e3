import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseRetryAfter, RetryPolicy } from './retry-policy';

const config = { strategy: 'exponential', interval_seconds: 10, retry_count: 10, max_interval_seconds: 60, stop_on_4xx: false } as const;

describe('RetryPolicy', () => {
  it('without jitter at its extremes, doubles the delay per retry up to the cap', () => {
    const highest = new RetryPolicy(config, () => 1);
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => highest.nextDelay(n)), [10_000, 20_000, 40_000, 60_000, 60_000]);
    const lowest = new RetryPolicy(config, () => 0);
    assert.deepEqual([1, 2, 3, 4].map((n) => lowest.nextDelay(n)), [10_000, 10_000, 10_000, 10_000]);
  });

  it('spreads exponential delays between the interval and the capped ceiling (full jitter)', () => {
    const policy = new RetryPolicy(config);
    const delays = Array.from({ length: 500 }, () => policy.nextDelay(3));
    assert.ok(delays.every((d) => d >= 10_000 && d <= 40_000), 'within [interval, interval * 2^(n-1)]');
    assert.ok(new Set(delays).size > 100, 'actually jittered');
    const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
    assert.ok(mean > 20_000 && mean < 30_000, `mean ${mean} near the middle`);
    assert.ok(Array.from({ length: 200 }, () => policy.nextDelay(20)).every((d) => d <= 60_000), 'never above the cap');
  });

  it('waits the same interval for linear retries', () => {
    const policy = new RetryPolicy({ ...config, strategy: 'linear', interval_seconds: 1.5 });
    assert.deepEqual([1, 2, 3].map((n) => policy.nextDelay(n)), [1500, 1500, 1500]);
  });

  it('allows retry_count retries after the first attempt', () => {
    const policy = new RetryPolicy({ ...config, retry_count: 2 });
    assert.equal(policy.maxAttempts, 3);
    assert.deepEqual([1, 2, 3].map((n) => policy.canRetryAfter(n)), [true, true, false]);
    assert.equal(new RetryPolicy({ ...config, retry_count: 0 }).canRetryAfter(1), false);
  });

  it('honours Retry-After on 429 and 503, bounded by max_interval_seconds', () => {
    const policy = new RetryPolicy(config, () => 1);
    assert.equal(policy.nextDelay(1, { statusCode: 429, retryAfter: '2' }), 2000);
    assert.equal(policy.nextDelay(1, { statusCode: 503, retryAfter: '7200' }), 60_000);
    assert.equal(policy.nextDelay(1, { statusCode: 500, retryAfter: '2' }), 10_000, 'ignored on other statuses');
    assert.equal(policy.nextDelay(1, { statusCode: 429, retryAfter: 'soon' }), 10_000, 'unreadable: the policy decides');
  });

  it('stops on a 4xx only when configured, and never on 408, 409, 425 or 429', () => {
    const retrying = new RetryPolicy(config);
    assert.equal(retrying.canRetryAfter(1, { statusCode: 400 }), true);
    const stopping = new RetryPolicy({ ...config, stop_on_4xx: true });
    assert.deepEqual(
      [400, 401, 404, 408, 409, 410, 425, 429, 500, null].map((statusCode) => stopping.canRetryAfter(1, { statusCode })),
      [false, false, false, true, true, false, true, true, true, true],
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120_000);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now), 30_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter(undefined, now), null);
    assert.equal(parseRetryAfter('-5', now), null);
  });
});
