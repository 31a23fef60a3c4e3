import type { WebhookHeaders } from '@caravan/signatures';

/** A request as a source received it: the body's exact bytes and the headers, names in any case. */
export interface IncomingRequest {
  body: Uint8Array;
  headers: WebhookHeaders;
}

export type VerificationResult = { ok: true } | { ok: false; reason: string };

export const VERIFIED: VerificationResult = { ok: true };

export function refused(reason: string): VerificationResult {
  return { ok: false, reason };
}

export type HeaderValue = { ok: true; value: string } | { ok: false; reason: string };

/**
 * The one value of a header (`name` in any case). Missing, empty or sent twice is a refusal: with
 * two copies of a signature header it is unclear which one the sender meant.
 */
export function readHeader(headers: WebhookHeaders, name: string): HeaderValue {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string' && item.trim() !== '') values.push(item.trim());
    }
  }
  if (values.length === 0) return { ok: false, reason: `missing header ${name}` };
  if (values.length > 1) return { ok: false, reason: `header ${name} sent more than once` };
  return { ok: true, value: values[0] };
}
