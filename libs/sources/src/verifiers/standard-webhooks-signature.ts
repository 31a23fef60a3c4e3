import { DEFAULT_TOLERANCE_SECONDS, verifyWebhook } from '@caravan/signatures';
import { IncomingRequest, refused, VERIFIED, VerificationResult } from './incoming-request';

/**
 * Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>`), checked by
 * the same code Caravan's own receivers are told to use. A `whsec_` secret is keyed by its decoded bytes.
 */
export function verifyStandardWebhooksSignature(
  request: IncomingRequest,
  secret: string,
  now?: number,
): VerificationResult {
  try {
    const result = verifyWebhook({
      scheme: 'standard-webhooks',
      secret,
      body: request.body,
      headers: request.headers,
      toleranceSeconds: DEFAULT_TOLERANCE_SECONDS,
      now,
    });
    return result.ok ? VERIFIED : refused(result.reason);
  } catch {
    // Only an unusable stored secret gets here (create and update refuse one): fail closed.
    return refused('the source secret cannot verify Standard Webhooks signatures');
  }
}
