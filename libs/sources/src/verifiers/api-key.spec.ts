import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { verifyApiKey } from './api-key';

const request = (headers: Record<string, string>) => ({ body: Buffer.from('{}'), headers });

describe('API key header verification', () => {
  it('accepts the configured header with the configured value, the name in any case', () => {
    assert.deepEqual(verifyApiKey(request({ 'x-api-key': 'key-0f3c9e' }), 'X-Api-Key', 'key-0f3c9e'), {
      ok: true,
    });
  });

  it('refuses another value, a prefix of it, or no header', () => {
    assert.deepEqual(verifyApiKey(request({ 'x-api-key': 'key-0f3c9f' }), 'X-Api-Key', 'key-0f3c9e'), {
      ok: false,
      reason: 'the value of X-Api-Key does not match',
    });
    assert.equal(verifyApiKey(request({ 'x-api-key': 'key-0f3c' }), 'X-Api-Key', 'key-0f3c9e').ok, false);
    assert.deepEqual(verifyApiKey(request({}), 'X-Api-Key', 'key-0f3c9e'), {
      ok: false,
      reason: 'missing header X-Api-Key',
    });
  });
});
