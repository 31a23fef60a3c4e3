import { hmac } from './hmac';

const SECRET_PREFIX = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The HMAC key Standard Webhooks uses for a secret. A `whsec_<base64>` secret gives the decoded
 * bytes, as every Standard Webhooks library does. Any other string (an endpoint secret chosen by
 * a user, or one made before `whsec_` secrets) gives its UTF-8 bytes: guessing whether such a
 * string was meant as base64 would make the key depend on the characters a user happened to pick.
 * A receiver using a reference library with such a secret must pass its raw bytes
 * (`new Webhook(secret, { format: 'raw' })` in `standardwebhooks`).
 */
export function standardWebhooksKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) return Buffer.from(secret, 'utf8');
  const encoded = secret.slice(SECRET_PREFIX.length);
  // Node's base64 decoder skips characters it does not know; a typo must not silently change the key.
  if (!BASE64.test(encoded) || encoded.replace(/=+$/, '').length % 4 === 1) {
    throw new TypeError('a whsec_ secret must be whsec_ followed by standard base64');
  }
  return Buffer.from(encoded, 'base64');
}

/** The base64 part of one `v1,<sig>` entry: HMAC-SHA256 of `<id>.<timestamp>.<body>`. */
export function standardWebhooksSignature(
  body: string | Uint8Array,
  secret: string,
  messageId: string,
  timestamp: number,
): string {
  return hmac('sha256', standardWebhooksKey(secret), [`${messageId}.${timestamp}.`, body]).toString('base64');
}

/** `v1,<sig> v1,<sig>`: one entry per secret, in the order given, separated by spaces. */
export function standardWebhooksSignatureHeader(
  body: string | Uint8Array,
  secrets: string[],
  messageId: string,
  timestamp: number,
): string {
  return secrets
    .map((secret) => `v1,${standardWebhooksSignature(body, secret, messageId, timestamp)}`)
    .join(' ');
}

export type ParsedStandardWebhooksSignatures =
  { ok: true; signatures: string[] } | { ok: false; problem: string };

/** The `v1` signatures of a `webhook-signature` header; other versions (such as `v1a`) are skipped. */
export function parseStandardWebhooksSignatureHeader(value: string): ParsedStandardWebhooksSignatures {
  const signatures: string[] = [];
  for (const entry of value.split(' ')) {
    if (entry === '') continue;
    const comma = entry.indexOf(',');
    if (comma <= 0) return { ok: false, problem: `entry without a version: ${JSON.stringify(entry)}` };
    if (entry.slice(0, comma) === 'v1') signatures.push(entry.slice(comma + 1));
  }
  if (signatures.length === 0) return { ok: false, problem: 'no v1 signature' };
  return { ok: true, signatures };
}
