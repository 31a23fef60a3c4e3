import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { signWebhook } from './sign-webhook';

// Signature values are the openssl-computed vectors also used in the per-scheme specs.
const body = '{"invoice_id":"inv_1","amount":100}';
const oldSecret = 'whsec_Y2FyYXZhbi10ZXN0LXNlY3JldC1vbGQtMDAwMDAwMDE=';
const newSecret = 'whsec_Y2FyYXZhbi10ZXN0LXNlY3JldC1uZXctMDAwMDAwMDI=';
const messageId = '01JD4Q7X9E5ZKX3V8M2N6P0R1S';
const timestamp = 1700000000;

describe('signWebhook', () => {
  it('simple: one lower-case X-Caravan-Signature header made with the newest secret only', () => {
    assert.deepEqual(
      signWebhook({ scheme: 'simple', secrets: [oldSecret, newSecret], body, timestamp, messageId }),
      {
        'x-caravan-signature': 'a41113dd2fd6109032888a720905ef2407b4547dc7809d23ab7a089832710f16',
      },
    );
  });

  it('simple: honours the configured header, hash and encoding', () => {
    assert.deepEqual(
      signWebhook({
        scheme: 'simple',
        header: 'X-Acme-Signature',
        hash: 'sha512',
        encoding: 'base64',
        secrets: [newSecret],
        body,
        timestamp,
        messageId,
      }),
      {
        'x-acme-signature':
          '+QOrIwZk5G1FqJgHKDsrK5SuY/Q8OLCD82qeAZJqlsy4swms2URjeMyjYlVlqW1WKH3tA7uxD72df13kpTXsjA==',
      },
    );
  });

  it('advanced: the Convoy header, under X-Convoy-Signature when asked, one v1 per secret', () => {
    assert.deepEqual(
      signWebhook({
        scheme: 'advanced',
        header: 'X-Convoy-Signature',
        secrets: [oldSecret, newSecret],
        body,
        timestamp,
        messageId,
      }),
      {
        'x-convoy-signature':
          't=1700000000' +
          ',v1=64d978770cf78723e83fe967bfdd6f7d3080ff7536c76a11f33b178eff09f1eb' +
          ',v1=5fa1bacd47f53ac74188ab936054750d661cdc11a73d6fc76f516f20ec13314b',
      },
    );
  });

  it('standard-webhooks: webhook-id, webhook-timestamp and the space-separated signatures', () => {
    assert.deepEqual(
      signWebhook({
        scheme: 'standard-webhooks',
        secrets: [oldSecret, newSecret],
        body,
        timestamp,
        messageId,
      }),
      {
        'webhook-id': messageId,
        'webhook-timestamp': '1700000000',
        'webhook-signature':
          'v1,ivxy8dxc2BHVDorlIcocjvlo0mS8K/q61PMrJu8IxJo= v1,GM6c8X3A2UMb+gPQUQBF0DWbYsPoxPsSDokMS5/YBm4=',
      },
    );
  });

  it('standard-webhooks: ignores header, hash and encoding, which the spec fixes', () => {
    const headers = signWebhook({
      scheme: 'standard-webhooks',
      header: 'X-Caravan-Signature',
      hash: 'sha512',
      encoding: 'hex',
      secrets: [newSecret],
      body,
      timestamp,
      messageId,
    });
    assert.equal(headers['webhook-signature'], 'v1,GM6c8X3A2UMb+gPQUQBF0DWbYsPoxPsSDokMS5/YBm4=');
    assert.equal(headers['x-caravan-signature'], undefined);
  });

  it('refuses inputs that would send an unverifiable or broken request', () => {
    const valid = { scheme: 'advanced' as const, secrets: [newSecret], body, timestamp, messageId };
    const invalid: Array<[string, Record<string, unknown>]> = [
      ['no secrets', { secrets: [] }],
      ['an empty secret', { secrets: [''] }],
      ['a fractional timestamp', { timestamp: 1.5 }],
      ['a millisecond-looking negative timestamp', { timestamp: -1 }],
      ['an unknown scheme', { scheme: 'hmac' }],
      ['an unknown hash', { hash: 'md5' }],
      ['an unknown encoding', { encoding: 'base64url' }],
      ['a header name with a space', { header: 'X Caravan' }],
      ['a parsed body', { body: { invoice_id: 'inv_1' } }],
      ['a message id with a line break', { scheme: 'standard-webhooks', messageId: 'evt\r\nx-injected: 1' }],
      ['an empty message id', { scheme: 'standard-webhooks', messageId: '' }],
    ];
    for (const [name, change] of invalid) {
      assert.throws(() => signWebhook({ ...valid, ...change } as any), TypeError, name);
    }
  });
});
