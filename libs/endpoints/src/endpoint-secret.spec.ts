import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { activeSecrets, currentSecret, generateEndpointSecret, rotateSecrets } from './endpoint-secret';

describe('endpoint secrets', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const secrets = [
    { value: 'old', created_at: '2025-01-01T00:00:00Z', expires_at: null },
    { value: 'expired-new', created_at: '2025-06-01T00:00:00Z', expires_at: '2025-12-31T00:00:00Z' },
  ];

  it('signs with the newest secret that has not expired', () => {
    assert.equal(currentSecret(secrets, now)?.value, 'old');
    assert.equal(
      currentSecret([...secrets, { value: 'newest', created_at: '', expires_at: null }], now)?.value,
      'newest',
    );
    assert.equal(currentSecret([secrets[1]], now), null);
  });

  it('keeps the old secret valid for the expiration window during rotation, never longer', () => {
    const inOneHour = new Date(now.getTime() + 3600_000);
    const rotated = rotateSecrets(secrets, 'new', inOneHour, now);
    assert.deepEqual(
      activeSecrets(rotated, now).map((s) => s.value),
      ['old', 'new'],
    );
    assert.deepEqual(
      activeSecrets(rotated, new Date(inOneHour.getTime() + 1)).map((s) => s.value),
      ['new'],
    );
    const again = rotateSecrets(rotated, 'newer', now, now);
    assert.deepEqual(
      activeSecrets(again, new Date(now.getTime() + 1)).map((s) => s.value),
      ['newer'],
    );
  });

  it('forgets secrets expired for more than a week', () => {
    const later = new Date('2026-02-01T00:00:00Z');
    assert.deepEqual(
      rotateSecrets(secrets, 'new', later, later).map((s) => s.value),
      ['old', 'new'],
    );
  });

  it('generates whsec_ secrets of 256 bits', () => {
    const secret = generateEndpointSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(secret.slice(6), 'base64').length, 32);
  });
});
