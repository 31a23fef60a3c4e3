import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { RetryPolicy } from './retry-policy';

describe('RetryPolicy', () => {
  it('doubles the delay with each exponential retry up to the cap', () => {
    const policy = new RetryPolicy({ strategy: 'exponential', interval_seconds: 10, retry_count: 10, max_interval_seconds: 60 });
    assert.deepEqual([1, 2, 3, 4, 5].map((n) => policy.nextDelay(n)), [10_000, 20_000, 40_000, 60_000, 60_000]);
  });

  it('waits the same interval for linear retries', () => {
    const policy = new RetryPolicy({ strategy: 'linear', interval_seconds: 1.5, retry_count: 3, max_interval_seconds: 60 });
    assert.deepEqual([1, 2, 3].map((n) => policy.nextDelay(n)), [1500, 1500, 1500]);
  });

  it('allows retry_count retries after the first attempt', () => {
    const policy = new RetryPolicy({ strategy: 'linear', interval_seconds: 1, retry_count: 2, max_interval_seconds: 60 });
    assert.equal(policy.maxAttempts, 3);
    assert.equal(policy.canRetryAfter(1), true);
    assert.equal(policy.canRetryAfter(2), true);
    assert.equal(policy.canRetryAfter(3), false);
    assert.equal(new RetryPolicy({ ...{ strategy: 'linear', interval_seconds: 1, max_interval_seconds: 1 }, retry_count: 0 }).canRetryAfter(1), false);
  });

  it('does not overflow on very high attempt numbers', () => {
    const policy = new RetryPolicy({ strategy: 'exponential', interval_seconds: 10, retry_count: 100, max_interval_seconds: 3600 });
    assert.equal(policy.nextDelay(100), 3_600_000);
  });
});
