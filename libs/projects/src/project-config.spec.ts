import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_PROJECT_CONFIG, resolveProjectConfig } from './project-config';

describe('project config', () => {
  it('fills every setting with its default', () => {
    assert.deepEqual(resolveProjectConfig(undefined, undefined), DEFAULT_PROJECT_CONFIG);
    assert.equal(DEFAULT_PROJECT_CONFIG.circuit_breaker.failure_threshold, 70);
    assert.equal(DEFAULT_PROJECT_CONFIG.idempotency_window_seconds, 86400);
  });

  it('changes only the fields a patch gives, at every level', () => {
    const base = resolveProjectConfig(undefined, { retry: { retry_count: 3 }, circuit_breaker: { error_timeout_seconds: 5 } });
    const patched = resolveProjectConfig(base, { retry: { interval_seconds: 1 }, circuit_breaker: { minimum_request_count: 2 } });
    assert.equal(patched.retry.retry_count, 3);
    assert.equal(patched.retry.interval_seconds, 1);
    assert.equal(patched.circuit_breaker.error_timeout_seconds, 5);
    assert.equal(patched.circuit_breaker.minimum_request_count, 2);
    assert.equal(patched.circuit_breaker.failure_threshold, 70);
  });

  it('sets and clears the default rate limit', () => {
    const limited = resolveProjectConfig(undefined, { rate_limit: { count: 5, duration_seconds: 1 } });
    assert.deepEqual(limited.rate_limit, { count: 5, duration_seconds: 1 });
    assert.equal(resolveProjectConfig(limited, { rate_limit: null }).rate_limit, null);
    assert.deepEqual(resolveProjectConfig(limited, { disable_endpoint_on_failure: false }).rate_limit, limited.rate_limit);
  });

  it('completes a config stored before newer settings existed', () => {
    const stored = { signature: DEFAULT_PROJECT_CONFIG.signature, retry: DEFAULT_PROJECT_CONFIG.retry } as never;
    assert.deepEqual(resolveProjectConfig(stored, undefined), DEFAULT_PROJECT_CONFIG);
  });

  it('keeps retention on the instance default until a project chooses, and back with null', () => {
    assert.deepEqual(DEFAULT_PROJECT_CONFIG.retention, { events_days: null, deliveries_days: null });
    const chosen = resolveProjectConfig(undefined, { retention: { events_days: 90, deliveries_days: 14 } });
    assert.deepEqual(chosen.retention, { events_days: 90, deliveries_days: 14 });
    assert.deepEqual(resolveProjectConfig(chosen, { retention: { deliveries_days: 30 } }).retention, { events_days: 90, deliveries_days: 30 });
    assert.deepEqual(resolveProjectConfig(chosen, { retention: { events_days: null } }).retention, { events_days: null, deliveries_days: 14 });
  });

  it('refuses deliveries_days above events_days, also against the stored value, naming the field', () => {
    assert.throws(
      () => resolveProjectConfig(undefined, { retention: { events_days: 7, deliveries_days: 8 } }),
      (error: any) => error.status === 400 && error.field === 'config.retention.deliveries_days',
    );
    const stored = resolveProjectConfig(undefined, { retention: { events_days: 10 } });
    assert.throws(() => resolveProjectConfig(stored, { retention: { deliveries_days: 11 } }), /must not exceed events_days \(10\)/);
    assert.doesNotThrow(() => resolveProjectConfig(stored, { retention: { deliveries_days: 10 } }));
  });
});
