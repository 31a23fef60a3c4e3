import { signSimple, SimpleSignatureOptions } from './signing/simple-signer';

export interface OutgoingRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
}

export interface DeliveryRequestInput {
  url: string;
  payload: string;
  eventId: string;
  eventType: string;
  deliveryId: string;
  attempt: number;
  customHeaders: Record<string, string> | null;
  secret: string;
  signature: SimpleSignatureOptions & { header: string };
  userAgent: string;
}

/** Pure: the exact request a delivery attempt sends (the wire format in API.md). */
export function buildDeliveryRequest(input: DeliveryRequestInput): OutgoingRequest {
  const headers: Record<string, string> = {};
  // Custom headers first: validation already forbids the names Caravan sets, and ours win regardless.
  for (const [name, value] of Object.entries(input.customHeaders ?? {})) headers[name.toLowerCase()] = value;
  Object.assign(headers, {
    'content-type': 'application/json',
    'user-agent': input.userAgent,
    'x-caravan-event-id': input.eventId,
    'x-caravan-event-type': input.eventType,
    'x-caravan-delivery-id': input.deliveryId,
    'x-caravan-attempt': String(input.attempt),
    // The same on every attempt of a delivery, so a receiver can drop repeats.
    'x-caravan-idempotency-key': input.deliveryId,
    [input.signature.header.toLowerCase()]: signSimple(input.payload, input.secret, input.signature),
  });
  return { url: input.url, method: 'POST', headers, body: input.payload };
}
