import { createHmac } from 'node:crypto';
import { constantTimeEquals } from './constant-time';
import { IncomingRequest, readHeader, refused, VERIFIED, VerificationResult } from './incoming-request';

export const STRIPE_SIGNATURE_HEADER = 'Stripe-Signature';
export const STRIPE_TOLERANCE_SECONDS = 300;

export interface StripeVerifyOptions {
  toleranceSeconds?: number;
  /** Unix seconds; the clock by default. */
  now?: number;
}

/**
 * Stripe: `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">[,v1=...]`, with the
 * secret (`whsec_...`) used as it is. Several v1 entries appear while a secret is rolled; any may
 * match. Other schemes (v0) are ignored, as Stripe's libraries do.
 */
export function verifyStripeSignature(
  request: IncomingRequest,
  secret: string,
  options: StripeVerifyOptions = {},
): VerificationResult {
  const received = readHeader(request.headers, STRIPE_SIGNATURE_HEADER);
  if (!received.ok) return received;
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const item of received.value.split(',')) {
    const equals = item.indexOf('=');
    if (equals <= 0) continue;
    const key = item.slice(0, equals).trim();
    const value = item.slice(equals + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1') signatures.push(value.toLowerCase());
  }
  if (timestamp === undefined || !/^\d{1,15}$/.test(timestamp))
    return refused(`${STRIPE_SIGNATURE_HEADER} has no t=<unix seconds>`);
  if (signatures.length === 0) return refused(`${STRIPE_SIGNATURE_HEADER} has no v1 signature`);
  const now = options.now ?? Math.floor(Date.now() / 1000);
  // Both ways: a timestamp far in the future would otherwise stay replayable until then.
  if (Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? STRIPE_TOLERANCE_SECONDS)) {
    return refused(`${STRIPE_SIGNATURE_HEADER} timestamp is outside the tolerance`);
  }
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(request.body).digest('hex');
  // Every entry is compared, so the time taken does not tell which one matched.
  const matched = signatures.map((signature) => constantTimeEquals(expected, signature)).includes(true);
  return matched ? VERIFIED : refused(`no v1 signature in ${STRIPE_SIGNATURE_HEADER} matches the body`);
}
