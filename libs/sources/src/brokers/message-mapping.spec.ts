import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BrokerMessage } from './broker-consumer';
import { valueAtPath as valueAt } from '../mapping/json-path';
import { mapMessage } from './message-mapping';

const ENDPOINT_ID = '0191f3b4-6c1d-7a2e-9b3c-4d5e6f708192';

function message(body: unknown, attributes: Record<string, string> = {}): BrokerMessage {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { id: 'm-1', body: Buffer.from(text), attributes, receivedAt: new Date(), deliveryAttempt: 1 };
}

function poisonOf(result: ReturnType<typeof mapMessage>): string {
  assert.ok('poison' in result, `expected poison, got ${JSON.stringify(result)}`);
  return result.poison;
}

function eventOf(result: ReturnType<typeof mapMessage>) {
  assert.ok('event' in result, `expected an event, got ${JSON.stringify(result)}`);
  return result.event;
}

describe('mapMessage', () => {
  it('takes the event fields from attributes and the whole body as data', () => {
    const event = eventOf(
      mapMessage(
        message(
          { invoice: 'inv_1' },
          { event_type: 'invoice.paid', endpoint_id: ENDPOINT_ID, idempotency_key: 'k-1' },
        ),
      ),
    );
    assert.deepEqual(event, {
      event_type: 'invoice.paid',
      data: { invoice: 'inv_1' },
      endpoint_id: ENDPOINT_ID,
      idempotency_key: 'k-1',
    });
  });

  it('matches attribute names ignoring case and treating - and _ alike', () => {
    const event = eventOf(mapMessage(message({}, { 'Event-Type': 'a.b', OWNER_ID: 'acme' })));
    assert.equal(event.event_type, 'a.b');
    assert.equal(event.owner_id, 'acme');
  });

  it('turns x- attributes into custom headers, keeping their names', () => {
    const event = eventOf(
      mapMessage(message({}, { event_type: 'a', 'X-Tenant': 'acme', 'x-trace': 't1', other: 'no' })),
    );
    assert.deepEqual(event.custom_headers, { 'X-Tenant': 'acme', 'x-trace': 't1' });
  });

  it('reads fields from dotted paths into the body, with numbers as text', () => {
    const body = { meta: { type: 'order.created', owner: 'acme', key: 42 }, items: [{ sku: 'a' }] };
    const event = eventOf(
      mapMessage(message(body), {
        event_type_path: 'meta.type',
        owner_id_path: 'meta.owner',
        idempotency_key_path: 'meta.key',
      }),
    );
    assert.equal(event.event_type, 'order.created');
    assert.equal(event.owner_id, 'acme');
    assert.equal(event.idempotency_key, '42');
    assert.deepEqual(event.data, body);
  });

  it('prefers an attribute over the body path for the same field', () => {
    const event = eventOf(
      mapMessage(message({ type: 'from.body' }, { event_type: 'from.attribute' }), {
        event_type_path: 'type',
      }),
    );
    assert.equal(event.event_type, 'from.attribute');
  });

  it('takes the data and custom headers from paths when configured', () => {
    const body = { type: 't', data: { id: 1 }, headers: { 'X-Source': 'erp' } };
    const event = eventOf(
      mapMessage(message(body, { 'x-extra': '1' }), {
        event_type_path: 'type',
        data_path: 'data',
        custom_headers_path: 'headers',
      }),
    );
    assert.deepEqual(event.data, { id: 1 });
    assert.deepEqual(event.custom_headers, { 'X-Source': 'erp', 'x-extra': '1' });
  });

  it('indexes arrays with numeric path segments', () => {
    assert.equal(valueAt({ items: [{ id: 'a' }, { id: 'b' }] }, 'items.1.id'), 'b');
    assert.equal(valueAt({ items: [] }, 'items.3.id'), undefined);
    assert.equal(valueAt({ a: 'text' }, 'a.length'), undefined);
  });

  it('makes a body that is not JSON poison, saying so', () => {
    assert.match(poisonOf(mapMessage(message('not json', { event_type: 'a' }))), /^body is not JSON/);
  });

  it('makes a message without an event type poison, naming where it was looked for', () => {
    assert.equal(poisonOf(mapMessage(message({}))), 'no event type: set the "event_type" attribute');
    assert.equal(
      poisonOf(mapMessage(message({ meta: {} }), { event_type_path: 'meta.type' })),
      'no event type: set the "event_type" attribute or a value at event_type_path "meta.type"',
    );
  });

  it('makes a field at a path that is not text poison', () => {
    assert.match(
      poisonOf(mapMessage(message({ type: { nested: 1 } }), { event_type_path: 'type' })),
      /event_type_path "type" must be a string \(got an object\)/,
    );
  });

  it('applies the events API rules: event type characters, endpoint id format, endpoint or owner', () => {
    assert.match(poisonOf(mapMessage(message({}, { event_type: 'has space' }))), /must be 1-200 letters/);
    assert.match(
      poisonOf(mapMessage(message({}, { event_type: 'a', endpoint_id: 'ep_1' }))),
      /not an endpoint id/,
    );
    assert.match(
      poisonOf(mapMessage(message({}, { event_type: 'a', endpoint_id: ENDPOINT_ID, owner_id: 'o' }))),
      /both an endpoint id and an owner id/,
    );
    assert.match(
      poisonOf(mapMessage(message({}, { event_type: 'a', owner_id: 'o'.repeat(201) }))),
      /owner id is longer than 200/,
    );
  });

  it('requires the data to be a JSON object', () => {
    assert.match(
      poisonOf(mapMessage(message([1, 2], { event_type: 'a' }))),
      /the body must be a JSON object .* \(got an array\)/,
    );
    assert.match(
      poisonOf(mapMessage(message({ d: 'x' }, { event_type: 'a' }), { data_path: 'd' })),
      /data_path "d" must be a JSON object .* \(got a string\)/,
    );
  });

  it('requires custom headers from the body to be strings', () => {
    assert.match(
      poisonOf(mapMessage(message({ h: { a: 1 } }, { event_type: 'a' }), { custom_headers_path: 'h' })),
      /custom_headers_path "h" must be an object/,
    );
  });

  it('keeps a long idempotency key usable by its digest, and lower-cases endpoint ids', () => {
    const event = eventOf(
      mapMessage(
        message(
          {},
          { event_type: 'a', idempotency_key: 'k'.repeat(300), endpoint_id: ENDPOINT_ID.toUpperCase() },
        ),
      ),
    );
    assert.match(event.idempotency_key!, /^sha256:[0-9a-f]{64}$/);
    assert.equal(event.endpoint_id, ENDPOINT_ID);
  });

  it('treats an empty attribute as absent', () => {
    const event = eventOf(
      mapMessage(message({ type: 'from.body' }, { event_type: '' }), { event_type_path: 'type' }),
    );
    assert.equal(event.event_type, 'from.body');
  });
});
