import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { currentSecret, generateEndpointSecret } from './endpoint-secret';

describe('endpoint secrets', () => {
  it('signs with the newest secret that has not expired', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const secrets = [
      { value: 'old', created_at: '2025-01-01T00:00:00Z', expires_at: null },
      { value: 'expired-new', created_at: '2025-06-01T00:00:00Z', expires_at: '2025-12-31T00:00:00Z' },
    ];
    assert.equal(currentSecret(secrets, now)?.value, 'old');
    assert.equal(currentSecret([...secrets, { value: 'newest', created_at: '', expires_at: null }], now)?.value, 'newest');
    assert.equal(currentSecret([secrets[1]], now), null);
  });

  it('generates 256-bit secrets', () => {
    assert.equal(Buffer.from(generateEndpointSecret(), 'base64url').length, 32);
  });
});
