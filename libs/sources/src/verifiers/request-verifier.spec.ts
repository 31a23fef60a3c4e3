import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { verifyIncomingRequest } from './request-verifier';

const BODY = Buffer.from('{"action":"opened","number":7}');

describe('verifying a request with a source verifier', () => {
  it('lets anything through a none verifier', () => {
    assert.deepEqual(verifyIncomingRequest({ type: 'none' }, { body: BODY, headers: {} }), { ok: true });
  });

  it('uses the preset of the verifier type', () => {
    const github = {
      'x-hub-signature-256': 'sha256=e22c5945edf572fb38d2b7f19d4d0917bf0736fe3a5468920d2e9c9983b3259a',
    };
    assert.deepEqual(
      verifyIncomingRequest({ type: 'github', secret: 'gh-secret-3f9a' }, { body: BODY, headers: github }),
      { ok: true },
    );
    assert.equal(
      verifyIncomingRequest({ type: 'shopify', secret: 'gh-secret-3f9a' }, { body: BODY, headers: github })
        .ok,
      false,
    );
    assert.equal(
      verifyIncomingRequest({ type: 'stripe', secret: 'gh-secret-3f9a' }, { body: BODY, headers: github }).ok,
      false,
    );
    assert.equal(
      verifyIncomingRequest(
        { type: 'standard-webhooks', secret: 'gh-secret-3f9a' },
        { body: BODY, headers: github },
      ).ok,
      false,
    );
    assert.equal(
      verifyIncomingRequest(
        { type: 'api_key', header_name: 'X-Key', header_value: 'k' },
        { body: BODY, headers: { 'x-key': 'k' } },
      ).ok,
      true,
    );
    assert.equal(
      verifyIncomingRequest({ type: 'basic_auth', username: 'u', password: 'p' }, { body: BODY, headers: {} })
        .ok,
      false,
    );
    assert.equal(
      verifyIncomingRequest(
        {
          type: 'hmac',
          header: 'X-Hub-Signature-256',
          hash: 'sha256',
          encoding: 'hex',
          secret: 'gh-secret-3f9a',
        },
        { body: BODY, headers: github },
      ).ok,
      false,
      'the generic hmac verifier expects the bare digest, without "sha256="',
    );
  });
});
