import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { verifyShopifySignature } from './shopify-signature';

// printf '%s' "$BODY" | openssl dgst -sha256 -hmac 'shpss_secret_81d0' -binary | base64
const SECRET = 'shpss_secret_81d0';
const BODY = '{"id":820982911946154508,"email":"jon@example.com"}';
const SIGNATURE = '68ioyex/0Qrk8pjlsbhPNutze8jXU90k+SCRCx05AFI=';

describe('Shopify signature verification', () => {
  it('accepts X-Shopify-Hmac-Sha256 with the base64 HMAC-SHA256 of the raw body', () => {
    assert.deepEqual(
      verifyShopifySignature(
        { body: Buffer.from(BODY), headers: { 'X-Shopify-Hmac-Sha256': SIGNATURE } },
        SECRET,
      ),
      { ok: true },
    );
  });

  it('refuses a tampered body, another secret and a missing header', () => {
    const headers = { 'x-shopify-hmac-sha256': SIGNATURE };
    assert.deepEqual(
      verifyShopifySignature({ body: Buffer.from(BODY.replace('jon', 'eve')), headers }, SECRET),
      {
        ok: false,
        reason: 'signature in X-Shopify-Hmac-Sha256 does not match the body',
      },
    );
    assert.equal(verifyShopifySignature({ body: Buffer.from(BODY), headers }, 'shpss_other').ok, false);
    assert.deepEqual(verifyShopifySignature({ body: Buffer.from(BODY), headers: {} }, SECRET), {
      ok: false,
      reason: 'missing header X-Shopify-Hmac-Sha256',
    });
  });
});
