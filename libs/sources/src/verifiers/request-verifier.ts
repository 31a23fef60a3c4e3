import { verifyApiKey } from './api-key';
import { verifyBasicAuth } from './basic-auth';
import { verifyGithubSignature } from './github-signature';
import { HmacVerifierSettings, verifyHmacSignature } from './hmac-signature';
import { IncomingRequest, VERIFIED, VerificationResult } from './incoming-request';
import { verifyShopifySignature } from './shopify-signature';
import { verifyStandardWebhooksSignature } from './standard-webhooks-signature';
import { verifyStripeSignature } from './stripe-signature';

/** A source's verifier with its secrets opened: what checking a request needs. */
export type VerifierSettings =
  | { type: 'none' }
  | ({ type: 'hmac' } & HmacVerifierSettings)
  | { type: 'basic_auth'; username: string; password: string }
  | { type: 'api_key'; header_name: string; header_value: string }
  | { type: 'github' | 'stripe' | 'shopify' | 'standard-webhooks'; secret: string };

/** Whether the request comes from whoever holds the source's secret. `now` is unix seconds. */
export function verifyIncomingRequest(
  verifier: VerifierSettings,
  request: IncomingRequest,
  now?: number,
): VerificationResult {
  switch (verifier.type) {
    case 'none':
      return VERIFIED;
    case 'hmac':
      return verifyHmacSignature(request, verifier);
    case 'basic_auth':
      return verifyBasicAuth(request, verifier.username, verifier.password);
    case 'api_key':
      return verifyApiKey(request, verifier.header_name, verifier.header_value);
    case 'github':
      return verifyGithubSignature(request, verifier.secret);
    case 'stripe':
      return verifyStripeSignature(request, verifier.secret, { now });
    case 'shopify':
      return verifyShopifySignature(request, verifier.secret);
    case 'standard-webhooks':
      return verifyStandardWebhooksSignature(request, verifier.secret, now);
  }
}
