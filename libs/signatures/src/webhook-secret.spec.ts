import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { standardWebhooksKey } from './standard-webhooks-signature';
import { generateWebhookSecret } from './webhook-secret';

describe('generateWebhookSecret', () => {
  it('is whsec_ followed by 32 random bytes in standard base64', () => {
    const secret = generateWebhookSecret();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(Buffer.from(secret.slice('whsec_'.length), 'base64').length, 32);
    assert.equal(standardWebhooksKey(secret).length, 32);
  });

  it('never repeats', () => {
    const secrets = new Set(Array.from({ length: 1000 }, generateWebhookSecret));
    assert.equal(secrets.size, 1000);
  });
});
