import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { verifyHmacSignature } from './hmac-signature';

// printf '%s' 'amount=10&currency=eur' | openssl dgst -sha512 -hmac 'generic-secret-77' -binary | base64
// printf '%s' 'amount=10&currency=eur' | openssl dgst -sha256 -hmac 'generic-secret-77' -hex
const BODY = Buffer.from('amount=10&currency=eur');
const SECRET = 'generic-secret-77';
const SHA512_BASE64 =
  'wGInachbH6Sg6Nne9SgREJp1cWqOJjPh6NxoQLhNmNoPbAezl/8zF7RRub6Jl/93Wo9D+V7seubdJjn12oA0bQ==';
const SHA256_HEX = 'd844077e90ef992a089a9fdba784ecbee732601807a7f540a7fc0c34cc15133b';

describe('generic HMAC signature verification', () => {
  it('accepts the configured header, hash and encoding', () => {
    const sha512 = { header: 'X-Signature', hash: 'sha512', encoding: 'base64', secret: SECRET } as const;
    assert.deepEqual(verifyHmacSignature({ body: BODY, headers: { 'x-signature': SHA512_BASE64 } }, sha512), {
      ok: true,
    });
    const sha256 = { header: 'X-Acme-Signature', hash: 'sha256', encoding: 'hex', secret: SECRET } as const;
    assert.deepEqual(
      verifyHmacSignature({ body: BODY, headers: { 'X-ACME-SIGNATURE': SHA256_HEX } }, sha256),
      { ok: true },
    );
    assert.deepEqual(
      verifyHmacSignature({ body: BODY, headers: { 'x-acme-signature': SHA256_HEX.toUpperCase() } }, sha256),
      { ok: true },
    );
  });

  it('refuses another hash or encoding, a tampered body and a missing header', () => {
    const settings = { header: 'X-Signature', hash: 'sha256', encoding: 'hex', secret: SECRET } as const;
    assert.deepEqual(
      verifyHmacSignature({ body: BODY, headers: { 'x-signature': SHA512_BASE64 } }, settings),
      {
        ok: false,
        reason: 'signature in X-Signature does not match the body',
      },
    );
    assert.equal(
      verifyHmacSignature(
        { body: Buffer.from('amount=99&currency=eur'), headers: { 'x-signature': SHA256_HEX } },
        settings,
      ).ok,
      false,
    );
    assert.deepEqual(verifyHmacSignature({ body: BODY, headers: {} }, settings), {
      ok: false,
      reason: 'missing header X-Signature',
    });
  });
});
