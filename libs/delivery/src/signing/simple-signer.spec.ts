import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { signSimple } from './simple-signer';

// Vectors computed independently with `printf '%s' BODY | openssl dgst -sha256 -hmac SECRET`.
describe('signSimple', () => {
  const body = '{"invoice_id":"inv_1","amount":100}';
  const secret = 'whsec-test-secret-0123456789';

  it('signs the body with HMAC-SHA256 in hex', () => {
    assert.equal(
      signSimple(body, secret, { hash: 'sha256', encoding: 'hex' }),
      '8f913e02a03fc672474cb65c68060c1cf0660b1a8d109daf369fafa3069434db',
    );
  });

  it('signs with HMAC-SHA512 in base64', () => {
    assert.equal(signSimple(body, secret, { hash: 'sha512', encoding: 'base64' }), 'ohtLRZl+njcZjU39F+G5szciQsk4nA7TD4x5VxU4/5RfRVcVWTaMcgnyniahwkQoYwllLx7JEG4akV05CfyfbQ==');
  });

  it('changes when one byte of the body changes', () => {
    const options = { hash: 'sha256', encoding: 'hex' } as const;
    assert.notEqual(signSimple(body, secret, options), signSimple(body.replace('100', '101'), secret, options));
  });
});
