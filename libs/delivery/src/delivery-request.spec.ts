import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { buildDeliveryRequest } from './delivery-request';

describe('buildDeliveryRequest', () => {
  const input = {
    url: 'https://example.com/hook',
    payload: '{"b":1,"a":[true,null]}',
    eventId: 'evt',
    eventType: 'invoice.paid',
    deliveryId: 'dlv',
    attempt: 3,
    customHeaders: { 'X-Tenant': 'acme' },
    secret: 'topsecret-topsecret',
    signature: { header: 'X-Caravan-Signature', hash: 'sha256', encoding: 'hex' } as const,
    userAgent: 'Caravan/1.2.3',
  };

  it('sends the stored payload byte for byte with the headers of the wire contract', () => {
    const request = buildDeliveryRequest(input);
    assert.equal(request.body, input.payload);
    assert.equal(request.method, 'POST');
    assert.deepEqual(request.headers, {
      'x-tenant': 'acme',
      'content-type': 'application/json',
      'user-agent': 'Caravan/1.2.3',
      'x-caravan-event-id': 'evt',
      'x-caravan-event-type': 'invoice.paid',
      'x-caravan-delivery-id': 'dlv',
      'x-caravan-attempt': '3',
      'x-caravan-idempotency-key': 'dlv',
      'x-caravan-signature': createHmac('sha256', input.secret).update(input.payload).digest('hex'),
    });
  });

  it('keeps the idempotency key across attempts while the attempt header moves on', () => {
    const first = buildDeliveryRequest({ ...input, attempt: 1 });
    const second = buildDeliveryRequest({ ...input, attempt: 2 });
    assert.equal(first.headers['x-caravan-idempotency-key'], second.headers['x-caravan-idempotency-key']);
    assert.notEqual(first.headers['x-caravan-attempt'], second.headers['x-caravan-attempt']);
  });
});
