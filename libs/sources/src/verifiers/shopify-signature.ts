import { createHmac } from 'node:crypto';
import { constantTimeEquals } from './constant-time';
import { IncomingRequest, readHeader, refused, VERIFIED, VerificationResult } from './incoming-request';

export const SHOPIFY_SIGNATURE_HEADER = 'X-Shopify-Hmac-Sha256';

/** Shopify: `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the raw body>`. */
export function verifyShopifySignature(request: IncomingRequest, secret: string): VerificationResult {
  const received = readHeader(request.headers, SHOPIFY_SIGNATURE_HEADER);
  if (!received.ok) return received;
  const expected = createHmac('sha256', secret).update(request.body).digest('base64');
  return constantTimeEquals(expected, received.value)
    ? VERIFIED
    : refused(`signature in ${SHOPIFY_SIGNATURE_HEADER} does not match the body`);
}
