import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { buildDeliveryRequest, DeliveryRequestInput, loggableHeaders } from './delivery-request';

describe('buildDeliveryRequest', () => {
  const input: DeliveryRequestInput = {
    url: 'https://example.com/hook',
    payload: '{"b":1,"a":[true,null]}',
    eventId: 'evt',
    eventType: 'invoice.paid',
    deliveryId: 'dlv',
    attempt: 3,
    customHeaders: { 'X-Tenant': 'acme' },
    secrets: ['old-secret-old-secret', 'topsecret-topsecret'],
    signature: { scheme: 'simple', header: 'X-Caravan-Signature', hash: 'sha256', encoding: 'hex' },
    timestamp: 1_700_000_000,
    authentication: { 'x-api-key': 'let-me-in' },
    userAgent: 'Caravan/1.2.3',
  };

  it('sends the stored payload byte for byte with the headers of the wire contract', () => {
    const request = buildDeliveryRequest(input);
    assert.equal(request.body, input.payload);
    assert.equal(request.method, 'POST');
    assert.deepEqual(request.headers, {
      'x-tenant': 'acme',
      'x-api-key': 'let-me-in',
      'content-type': 'application/json',
      'user-agent': 'Caravan/1.2.3',
      'x-caravan-event-id': 'evt',
      'x-caravan-event-type': 'invoice.paid',
      'x-caravan-delivery-id': 'dlv',
      'x-caravan-attempt': '3',
      'x-caravan-idempotency-key': 'dlv',
      // simple carries one signature: the newest secret's
      'x-caravan-signature': createHmac('sha256', 'topsecret-topsecret').update(input.payload).digest('hex'),
    });
  });

  it('signs with the project scheme: advanced carries one v1 per active secret', () => {
    const request = buildDeliveryRequest({ ...input, signature: { ...input.signature, scheme: 'advanced' } });
    const signed = `${input.timestamp},${input.payload}`;
    assert.equal(
      request.headers['x-caravan-signature'],
      `t=${input.timestamp},v1=${createHmac('sha256', input.secrets[0]).update(signed).digest('hex')},v1=${createHmac('sha256', input.secrets[1]).update(signed).digest('hex')}`,
    );
  });

  it('keeps the idempotency key across attempts while the attempt header moves on', () => {
    const first = buildDeliveryRequest({ ...input, attempt: 1 });
    const second = buildDeliveryRequest({ ...input, attempt: 2 });
    assert.equal(first.headers['x-caravan-idempotency-key'], second.headers['x-caravan-idempotency-key']);
    assert.notEqual(first.headers['x-caravan-attempt'], second.headers['x-caravan-attempt']);
  });

  it('keeps credentials out of the attempt log', () => {
    const logged = loggableHeaders(buildDeliveryRequest(input));
    assert.equal(logged['x-api-key'], '[redacted]');
    assert.equal(logged['x-tenant'], 'acme');
  });
});
