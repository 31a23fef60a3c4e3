// @caravan/sdk: the functions and types generated from openapi/caravan.openapi.json (`npm run sdk`),
// a client factory, and the signature verifier receivers need, so one package covers both sides.
export * from './generated';
export { client } from './generated/client.gen';
export {
  type Client,
  type Config,
  createClient,
  createConfig,
  type RequestOptions,
  type RequestResult,
} from './generated/client';
export { type CaravanClientOptions, createCaravanClient } from './caravan-client';
export {
  DEFAULT_SIGNATURE_HEADER,
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_ENCODINGS,
  SIGNATURE_HASHES,
  SIGNATURE_SCHEMES,
  type SignatureEncoding,
  type SignatureHash,
  type SignatureOptions,
  type SignatureScheme,
  verifyWebhook,
  type VerifyWebhookInput,
  type VerifyWebhookResult,
  type WebhookHeaders,
} from '@caravan/signatures';
