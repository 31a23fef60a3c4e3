import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { verifyStripeSignature } from './stripe-signature';

// printf '%s' '1700000000.{"id":"evt_1","type":"invoice.paid"}' | openssl dgst -sha256 -hmac 'whsec_test_stripe_5c2e' -hex
const SECRET = 'whsec_test_stripe_5c2e';
const BODY = '{"id":"evt_1","type":"invoice.paid"}';
const T = 1700000000;
const V1 = 'ad9ab2a1269dce3dd0a965ee96d1b9ed63824a78e59c32b16e1b8429f00a7b8c';
const OTHER = 'a'.repeat(64);

const request = (header: string, body = BODY) => ({
  body: Buffer.from(body),
  headers: { 'stripe-signature': header },
});

describe('Stripe signature verification', () => {
  it('accepts t=<ts>,v1=<hmac of "<ts>.<body>"> within the tolerance, with the whsec_ secret used as it is', () => {
    assert.deepEqual(verifyStripeSignature(request(`t=${T},v1=${V1}`), SECRET, { now: T + 100 }), {
      ok: true,
    });
    assert.deepEqual(verifyStripeSignature(request(`t=${T},v1=${V1}`), SECRET, { now: T - 300 }), {
      ok: true,
    });
  });

  it('accepts any of several v1 signatures, as sent while a secret is rolled, and ignores v0', () => {
    assert.deepEqual(
      verifyStripeSignature(request(`t=${T},v1=${OTHER},v1=${V1},v0=${OTHER}`), SECRET, { now: T }),
      { ok: true },
    );
  });

  it('refuses a tampered body, an expired or future timestamp, and headers without t or v1', () => {
    assert.deepEqual(
      verifyStripeSignature(request(`t=${T},v1=${V1}`, BODY.replace('paid', 'void')), SECRET, { now: T }),
      {
        ok: false,
        reason: 'no v1 signature in Stripe-Signature matches the body',
      },
    );
    assert.deepEqual(verifyStripeSignature(request(`t=${T},v1=${V1}`), SECRET, { now: T + 301 }), {
      ok: false,
      reason: 'Stripe-Signature timestamp is outside the tolerance',
    });
    assert.equal(verifyStripeSignature(request(`t=${T},v1=${V1}`), SECRET, { now: T - 301 }).ok, false);
    assert.equal(
      verifyStripeSignature(request(`t=${T},v1=${V1}`), SECRET, { now: T + 1000, toleranceSeconds: 2000 }).ok,
      true,
    );
    assert.deepEqual(verifyStripeSignature(request(`v1=${V1}`), SECRET, { now: T }), {
      ok: false,
      reason: 'Stripe-Signature has no t=<unix seconds>',
    });
    assert.deepEqual(verifyStripeSignature(request(`t=${T},v0=${V1}`), SECRET, { now: T }), {
      ok: false,
      reason: 'Stripe-Signature has no v1 signature',
    });
    assert.equal(
      verifyStripeSignature(request(`t=${T + 1},v1=${V1}`), SECRET, { now: T }).ok,
      false,
      'the timestamp is signed',
    );
    assert.equal(
      verifyStripeSignature({ body: Buffer.from(BODY), headers: {} }, SECRET, { now: T }).ok,
      false,
    );
  });
});
