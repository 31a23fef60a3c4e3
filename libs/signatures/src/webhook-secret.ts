import { randomBytes } from 'node:crypto';

/**
 * A new endpoint secret: `whsec_` and 32 random bytes in standard base64. It suits every scheme:
 * `simple` and `advanced` key their HMAC with the whole string, Standard Webhooks with the bytes.
 */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}
