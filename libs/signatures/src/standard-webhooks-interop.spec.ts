import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { signWebhook } from './sign-webhook';
import { verifyWebhook } from './verify-webhook';
import { generateWebhookSecret } from './webhook-secret';

// The Standard Webhooks reference library (`standardwebhooks`), used unmodified, as receivers use it.
// It reads the real clock, so these requests are signed at the real time.
const body = '{"type":"invoice.paid","data":{"invoice_id":"inv_1","amount":100}}';
const messageId = '01JD4Q7X9E5ZKX3V8M2N6P0R1S';
const nowSeconds = () => Math.floor(Date.now() / 1000);

function signWithCaravan(secrets: string[], timestamp = nowSeconds()): Record<string, string> {
  return signWebhook({ scheme: 'standard-webhooks', secrets, body, timestamp, messageId });
}

function referenceAccepts(
  secret: string,
  payload: string | Buffer,
  headers: Record<string, string>,
): boolean {
  try {
    new Webhook(secret).verify(payload, headers);
    return true;
  } catch {
    return false;
  }
}

function caravanAccepts(secret: string, payload: string | Buffer, headers: Record<string, string>): boolean {
  return verifyWebhook({ scheme: 'standard-webhooks', secret, body: payload, headers }).ok;
}

describe('Standard Webhooks interoperability with the reference library', () => {
  it('the reference library verifies what Caravan signs, and returns the parsed body', () => {
    const secret = generateWebhookSecret();
    assert.deepEqual(new Webhook(secret).verify(body, signWithCaravan([secret])), JSON.parse(body));
  });

  it('the reference library verifies a Buffer body Caravan signed', () => {
    const secret = generateWebhookSecret();
    assert.ok(referenceAccepts(secret, Buffer.from(body), signWithCaravan([secret])));
  });

  it('during a rotation, reference receivers holding the old or the new secret both verify', () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const headers = signWithCaravan([oldSecret, newSecret]);
    assert.ok(referenceAccepts(oldSecret, body, headers));
    assert.ok(referenceAccepts(newSecret, body, headers));
    assert.equal(referenceAccepts(generateWebhookSecret(), body, headers), false);
  });

  it('Caravan verifies what the reference library signs', () => {
    const secret = generateWebhookSecret();
    const timestamp = new Date();
    const headers = {
      'webhook-id': messageId,
      'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(messageId, timestamp, body),
    };
    assert.deepEqual(verifyWebhook({ scheme: 'standard-webhooks', secret, body, headers }), { ok: true });
    // And both produce the very same header.
    assert.equal(
      signWithCaravan([secret], Number(headers['webhook-timestamp']))['webhook-signature'],
      headers['webhook-signature'],
    );
  });

  it('both reject a tampered body', () => {
    const secret = generateWebhookSecret();
    const headers = signWithCaravan([secret]);
    const tampered = body.replace('100', '1000');
    assert.equal(referenceAccepts(secret, tampered, headers), false);
    assert.equal(caravanAccepts(secret, tampered, headers), false);
  });

  it('both reject a stale timestamp and one too far in the future', () => {
    const secret = generateWebhookSecret();
    for (const timestamp of [nowSeconds() - 600, nowSeconds() + 600]) {
      const headers = signWithCaravan([secret], timestamp);
      assert.equal(referenceAccepts(secret, body, headers), false);
      assert.equal(caravanAccepts(secret, body, headers), false);
    }
  });

  it('a secret not in whsec_ form is keyed with its UTF-8 bytes: the reference library agrees in raw format', () => {
    const secret = 'plain-endpoint-secret-0123456789';
    const headers = signWithCaravan([secret]);
    assert.deepEqual(new Webhook(secret, { format: 'raw' }).verify(body, headers), JSON.parse(body));
    // Without `raw`, the reference library base64-decodes any secret, so it derives another key.
    assert.equal(referenceAccepts(secret, body, headers), false);
  });
});
