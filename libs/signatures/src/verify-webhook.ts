import { advancedSignature, parseAdvancedSignatureHeader } from './advanced-signature';
import { signaturesEqual } from './hmac';
import { HmacOptions, resolveSignatureOptions, SignatureOptions } from './signature-options';
import { simpleSignature } from './simple-signature';
import {
  parseStandardWebhooksSignatureHeader,
  standardWebhooksSignature,
} from './standard-webhooks-signature';
import { assertRawBody, assertSecrets } from './webhook-input';

export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Request headers as Node's `IncomingHttpHeaders` or a plain object give them; names in any case. */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

export interface VerifyWebhookInput extends SignatureOptions {
  /**
   * The secret, or several while a rotation is under way: a signature made with any of them is
   * accepted. Keyed as in `signWebhook`.
   */
  secret: string | string[];
  /** The raw request body, exactly as received. */
  body: string | Uint8Array;
  headers: WebhookHeaders;
  /** How far the signed timestamp may be from `now`, either way (`advanced` and `standard-webhooks`). */
  toleranceSeconds?: number;
  /** Unix seconds; defaults to the clock. */
  now?: number;
}

export type VerifyWebhookResult = { ok: true } | { ok: false; reason: string };

/**
 * Checks a received webhook. Anything the request controls (headers, body) answers `{ ok: false,
 * reason }`; wrong options or secrets throw a TypeError, since no request can cause them.
 * `simple` signs no timestamp, so it cannot refuse a replay: receivers should drop repeated
 * `X-Caravan-Idempotency-Key`s.
 */
export function verifyWebhook(input: VerifyWebhookInput): VerifyWebhookResult {
  const { scheme, header, hash, encoding } = resolveSignatureOptions(input);
  const secrets = typeof input.secret === 'string' ? [input.secret] : input.secret;
  assertSecrets(secrets);
  assertRawBody(input.body);
  const toleranceSeconds = input.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (typeof toleranceSeconds !== 'number' || !(toleranceSeconds >= 0)) {
    throw new TypeError('toleranceSeconds must be a number of seconds, 0 or more');
  }
  const now = input.now ?? Math.floor(Date.now() / 1000);
  if (typeof now !== 'number' || !Number.isFinite(now)) throw new TypeError('now must be unix seconds');
  const request: ReceivedRequest = {
    secrets,
    body: input.body,
    headers: input.headers,
    toleranceSeconds,
    now,
  };
  switch (scheme) {
    case 'simple':
      return verifySimple(request, header, { hash, encoding });
    case 'advanced':
      return verifyAdvanced(request, header, { hash, encoding });
    case 'standard-webhooks':
      return verifyStandardWebhooks(request);
  }
}

interface ReceivedRequest {
  secrets: string[];
  body: string | Uint8Array;
  headers: WebhookHeaders;
  toleranceSeconds: number;
  now: number;
}

const NO_MATCH: VerifyWebhookResult = { ok: false, reason: 'no signature matches' };
const MATCH: VerifyWebhookResult = { ok: true };

function verifySimple(request: ReceivedRequest, header: string, options: HmacOptions): VerifyWebhookResult {
  const received = readHeader(request.headers, header);
  if (!received.ok) return received;
  for (const secret of request.secrets) {
    if (signaturesEqual(simpleSignature(request.body, secret, options), received.value)) return MATCH;
  }
  return NO_MATCH;
}

function verifyAdvanced(request: ReceivedRequest, header: string, options: HmacOptions): VerifyWebhookResult {
  const received = readHeader(request.headers, header);
  if (!received.ok) return received;
  const parsed = parseAdvancedSignatureHeader(received.value);
  if (!parsed.ok) return { ok: false, reason: `malformed header ${header}: ${parsed.problem}` };
  if (!withinTolerance(parsed.timestamp, request))
    return { ok: false, reason: 'timestamp outside tolerance' };
  for (const secret of request.secrets) {
    const expected = advancedSignature(request.body, secret, parsed.timestamp, options);
    if (parsed.signatures.some((signature) => signaturesEqual(expected, signature))) return MATCH;
  }
  return NO_MATCH;
}

function verifyStandardWebhooks(request: ReceivedRequest): VerifyWebhookResult {
  const id = readHeader(request.headers, 'webhook-id');
  if (!id.ok) return id;
  const timestampHeader = readHeader(request.headers, 'webhook-timestamp');
  if (!timestampHeader.ok) return timestampHeader;
  const signatureHeader = readHeader(request.headers, 'webhook-signature');
  if (!signatureHeader.ok) return signatureHeader;
  if (!/^\d{1,15}$/.test(timestampHeader.value)) {
    return { ok: false, reason: 'malformed header webhook-timestamp: not unix seconds' };
  }
  const timestamp = Number(timestampHeader.value);
  const parsed = parseStandardWebhooksSignatureHeader(signatureHeader.value);
  if (!parsed.ok) return { ok: false, reason: `malformed header webhook-signature: ${parsed.problem}` };
  if (!withinTolerance(timestamp, request)) return { ok: false, reason: 'timestamp outside tolerance' };
  for (const secret of request.secrets) {
    const expected = standardWebhooksSignature(request.body, secret, id.value, timestamp);
    if (parsed.signatures.some((signature) => signaturesEqual(expected, signature))) return MATCH;
  }
  return NO_MATCH;
}

// Both ways: a timestamp far in the future would otherwise stay replayable for that long.
function withinTolerance(timestamp: number, request: ReceivedRequest): boolean {
  return Math.abs(request.now - timestamp) <= request.toleranceSeconds;
}

type HeaderValue = { ok: true; value: string } | { ok: false; reason: string };

/** `name` is lower-case; the request's names may be in any case. */
function readHeader(headers: WebhookHeaders, name: string): HeaderValue {
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() !== name || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string' && item.trim() !== '') values.push(item.trim());
    }
  }
  if (values.length === 0) return { ok: false, reason: `missing header ${name}` };
  // Two copies of a signature header leave it unclear which one the sender meant.
  if (values.length > 1) return { ok: false, reason: `malformed header ${name}: sent more than once` };
  return { ok: true, value: values[0] };
}
