import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { generateApiKey, hashApiKey } from './api-key-format';

describe('API key format', () => {
  it('carries its visible prefix and is stored only as a SHA-256 hash', () => {
    const generated = generateApiKey('project');
    assert.match(generated.key, /^cv_[a-z2-9]{8}_[A-Za-z0-9_-]{43}$/);
    assert.ok(generated.key.startsWith(`cv_${generated.prefix}_`));
    assert.equal(generated.hash, createHash('sha256').update(generated.key).digest('hex'));
    assert.equal(hashApiKey(generated.key), generated.hash);
  });

  it('never repeats a key', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey('project').key));
    assert.equal(keys.size, 200);
  });

  it('marks root keys differently from project keys', () => {
    assert.match(generateApiKey('root').key, /^cvr_/);
  });
});
