import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { verifyStandardWebhooksSignature } from './standard-webhooks-signature';

// The example of the Standard Webhooks specification, checked with
// printf '%s' "$ID.$TS.$BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:<the secret's base64, decoded> -binary | base64
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TS = 1614265330;
const BODY = '{"test": 2432232314}';
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

const request = (body = BODY, signature = SIGNATURE) => ({
  body: Buffer.from(body),
  headers: { 'webhook-id': ID, 'webhook-timestamp': String(TS), 'webhook-signature': signature },
});

describe('Standard Webhooks signature verification', () => {
  it("accepts the specification's example within five minutes", () => {
    assert.deepEqual(verifyStandardWebhooksSignature(request(), SECRET, TS), { ok: true });
    assert.deepEqual(verifyStandardWebhooksSignature(request(), SECRET, TS + 300), { ok: true });
    assert.deepEqual(
      verifyStandardWebhooksSignature(request(BODY, `v1,${'A'.repeat(43)}= ${SIGNATURE}`), SECRET, TS),
      { ok: true },
    );
  });

  it('refuses a tampered body, an old timestamp and an unusable secret, saying why', () => {
    assert.deepEqual(verifyStandardWebhooksSignature(request('{"test": 2432232315}'), SECRET, TS), {
      ok: false,
      reason: 'no signature matches',
    });
    assert.deepEqual(verifyStandardWebhooksSignature(request(), SECRET, TS + 301), {
      ok: false,
      reason: 'timestamp outside tolerance',
    });
    assert.deepEqual(verifyStandardWebhooksSignature({ body: Buffer.from(BODY), headers: {} }, SECRET, TS), {
      ok: false,
      reason: 'missing header webhook-id',
    });
    assert.equal(verifyStandardWebhooksSignature(request(), 'whsec_not*base64', TS).ok, false);
  });
});
