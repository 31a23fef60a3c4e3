import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { eventTypeFromName, webhookEvent, WebhookSourceSettings } from './webhook-event';

const source = (settings: Partial<WebhookSourceSettings> = {}): WebhookSourceSettings => ({
  name: 'Acme webhooks',
  verifierType: 'none',
  mapping: null,
  idempotencyHeader: null,
  ...settings,
});
const body = (value: string | object) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));

function mapped(
  settings: Partial<WebhookSourceSettings>,
  value: string | object,
  headers: Record<string, string> = {},
) {
  const result = webhookEvent(source(settings), body(value), headers);
  assert.ok(result.ok, JSON.stringify(result));
  return result.event;
}

describe('turning a verified webhook into an event', () => {
  it('keeps a JSON object body byte for byte, big numbers and spacing included', () => {
    const text = '{ "id": 820982911946154508123, "b": 1,\n "a": [1, 2] }';
    const event = mapped({}, text);
    assert.equal(event.payload, text);
    assert.equal((event.data as { b: number }).b, 1);
  });

  it('wraps any other body as {"raw": text}, and refuses a body that is not UTF-8', () => {
    assert.equal(mapped({}, 'a=1&b=two').payload, '{"raw":"a=1&b=two"}');
    assert.equal(mapped({}, '[1,2]').payload, '{"raw":"[1,2]"}');
    assert.equal(mapped({}, '').payload, '{"raw":""}');
    assert.deepEqual(webhookEvent(source(), Buffer.from([0xff, 0xfe, 0x41]), {}), {
      ok: false,
      reason: 'the body is not UTF-8 text',
    });
  });

  it('takes the event type from event_type_path, then the provider preset, then the source name', () => {
    const mapping = { event_type_path: 'meta.kind' };
    assert.equal(mapped({ mapping }, { meta: { kind: 'order.created' } }).eventType, 'order.created');
    assert.equal(
      mapped({ mapping, verifierType: 'stripe' }, { type: 'invoice.paid' }).eventType,
      'invoice.paid',
      'a missing path falls back',
    );
    assert.equal(
      mapped({ verifierType: 'github' }, { action: 'opened' }, { 'X-GitHub-Event': 'pull_request' })
        .eventType,
      'pull_request',
    );
    assert.equal(
      mapped({ verifierType: 'shopify' }, {}, { 'x-shopify-topic': 'orders/create' }).eventType,
      'orders.create',
    );
    assert.equal(
      mapped({ verifierType: 'standard-webhooks' }, { type: 'user.created', data: {} }).eventType,
      'user.created',
    );
    assert.equal(
      mapped({ verifierType: 'stripe' }, { type: 'has spaces' }).eventType,
      'Acme-webhooks',
      'an invalid type is passed over',
    );
    assert.equal(mapped({ verifierType: 'hmac' }, { type: 'ignored' }).eventType, 'Acme-webhooks');
  });

  it('makes a source name an event type', () => {
    assert.equal(eventTypeFromName('GitHub (prod)'), 'GitHub-prod');
    assert.equal(eventTypeFromName('stripe.live'), 'stripe.live');
    assert.equal(eventTypeFromName('???'), 'webhook');
  });

  it('reads endpoint, owner and idempotency key from their paths, the idempotency header first', () => {
    const endpointId = '01900000-0000-7000-8000-0000000000AB';
    const mapping = { endpoint_id_path: 'target', idempotency_key_path: 'id' };
    const event = mapped({ mapping }, { target: endpointId, id: 42 });
    assert.equal(event.endpointId, endpointId.toLowerCase());
    assert.equal(event.idempotencyKey, '42');
    assert.equal(
      mapped({ mapping, idempotencyHeader: 'X-Delivery' }, { id: 42 }, { 'x-delivery': 'd-1' })
        .idempotencyKey,
      'd-1',
    );
    assert.equal(mapped({ mapping: { owner_id_path: 'customer' } }, { customer: 'cus_1' }).ownerId, 'cus_1');
    assert.match(
      mapped({ idempotencyHeader: 'X-Delivery' }, {}, { 'x-delivery': 'k'.repeat(300) }).idempotencyKey!,
      /^sha256:[0-9a-f]{64}$/,
    );
    assert.equal(mapped({ mapping }, {}).endpointId, undefined);
  });

  it('refuses an endpoint id that is not one, and an endpoint and an owner together', () => {
    assert.deepEqual(
      webhookEvent(source({ mapping: { endpoint_id_path: 'target' } }), body({ target: 'ep_1' }), {}),
      {
        ok: false,
        reason: 'the value at endpoint_id_path "target" is not an endpoint id',
      },
    );
    const both = source({ mapping: { endpoint_id_path: 'e', owner_id_path: 'o' } });
    assert.equal(
      webhookEvent(both, body({ e: '01900000-0000-7000-8000-000000000000', o: 'x' }), {}).ok,
      false,
    );
  });
});
