import { signWebhook, SignatureEncoding, SignatureHash, SignatureScheme } from '@caravan/signatures';

export interface OutgoingRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  body: string;
  /** Header names whose values must not be stored in the attempt log. */
  sensitiveHeaders: string[];
}

export interface DeliveryRequestInput {
  url: string;
  payload: string;
  eventId: string;
  eventType: string;
  deliveryId: string;
  attempt: number;
  customHeaders: Record<string, string> | null;
  /** Active secrets, oldest first: schemes that carry several signatures sign with each. */
  secrets: string[];
  signature: { scheme: SignatureScheme; header: string; hash: SignatureHash; encoding: SignatureEncoding };
  /** Unix seconds; the time signed by the advanced and standard-webhooks schemes. */
  timestamp: number;
  authentication: Record<string, string>;
  userAgent: string;
}

/** Pure: the exact request a delivery attempt sends (the wire format in API.md). */
export function buildDeliveryRequest(input: DeliveryRequestInput): OutgoingRequest {
  const headers: Record<string, string> = {};
  // Custom headers first: validation already forbids the names Caravan sets, and ours win regardless.
  for (const [name, value] of Object.entries(input.customHeaders ?? {})) headers[name.toLowerCase()] = value;
  Object.assign(headers, input.authentication, {
    'content-type': 'application/json',
    'user-agent': input.userAgent,
    'x-caravan-event-id': input.eventId,
    'x-caravan-event-type': input.eventType,
    'x-caravan-delivery-id': input.deliveryId,
    'x-caravan-attempt': String(input.attempt),
    // The same on every attempt of a delivery, so a receiver can drop repeats.
    'x-caravan-idempotency-key': input.deliveryId,
  });
  if (input.secrets.length > 0) {
    Object.assign(
      headers,
      signWebhook({
        scheme: input.signature.scheme,
        header: input.signature.header,
        hash: input.signature.hash,
        encoding: input.signature.encoding,
        secrets: input.secrets,
        body: input.payload,
        timestamp: input.timestamp,
        // Standard Webhooks' webhook-id names the message: the event, the same on every attempt.
        messageId: input.eventId,
      }),
    );
  }
  return { url: input.url, method: 'POST', headers, body: input.payload, sensitiveHeaders: Object.keys(input.authentication) };
}

/** The headers as the attempt log keeps them: credentials replaced. */
export function loggableHeaders(request: OutgoingRequest): Record<string, string> {
  const headers = { ...request.headers };
  for (const name of request.sensitiveHeaders) if (name in headers) headers[name] = '[redacted]';
  return headers;
}
