import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../config/caravan-config';
import { resolveEncryptionKey } from './encryption-key';
import { SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox('a-key-of-at-least-thirty-two-characters');

  it('round-trips, and never seals the same value the same way twice', () => {
    const sealed = box.seal('whsec_top-secret');
    assert.match(sealed, /^enc:v1:[A-Za-z0-9+/=]+$/);
    assert.ok(!sealed.includes('top-secret'));
    assert.notEqual(box.seal('whsec_top-secret'), sealed);
    assert.equal(box.open(sealed), 'whsec_top-secret');
  });

  it('fails loudly with another key or a tampered value', () => {
    const sealed = box.seal('value');
    assert.throws(() => new SecretBox('another-key-of-at-least-thirty-two-chars').open(sealed), SecretBoxError);
    const tampered = sealed.slice(0, -4) + (sealed.endsWith('AAA=') ? 'BBB=' : 'AAA=');
    assert.throws(() => box.open(tampered), SecretBoxError);
  });

  it('reads values stored before encryption as they are', () => {
    assert.equal(box.open('plain-old-secret'), 'plain-old-secret');
  });
});

describe('encryption key', () => {
  it('is required in production', () => {
    assert.throws(() => loadConfig({ CARAVAN_ENV: 'production' }), /CARAVAN_ENCRYPTION_KEY is required in production/);
  });

  it('is generated once in the data directory outside production, and then reused', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caravan-key-'));
    try {
      const config = loadConfig({ CARAVAN_DATA_DIR: dataDir });
      const first = resolveEncryptionKey(config);
      assert.equal(Buffer.from(first, 'base64').length, 32);
      assert.equal(resolveEncryptionKey(config), first);
      assert.equal(fs.statSync(path.join(dataDir, 'encryption.key')).mode & 0o777, 0o600);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
