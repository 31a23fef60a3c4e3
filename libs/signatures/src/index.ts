export {
  DEFAULT_SIGNATURE_HEADER,
  SIGNATURE_ENCODINGS,
  SIGNATURE_HASHES,
  SIGNATURE_SCHEMES,
  type SignatureEncoding,
  type SignatureHash,
  type SignatureOptions,
  type SignatureScheme,
} from './signature-options';
export { signWebhook, type SignWebhookInput } from './sign-webhook';
export {
  DEFAULT_TOLERANCE_SECONDS,
  verifyWebhook,
  type VerifyWebhookInput,
  type VerifyWebhookResult,
  type WebhookHeaders,
} from './verify-webhook';
export { generateWebhookSecret } from './webhook-secret';
