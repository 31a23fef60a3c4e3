import { advancedSignatureHeader } from './advanced-signature';
import { resolveSignatureOptions, SignatureOptions } from './signature-options';
import { simpleSignature } from './simple-signature';
import { standardWebhooksSignatureHeader } from './standard-webhooks-signature';
import { assertRawBody, assertSecrets, assertUnixSeconds } from './webhook-input';

export interface SignWebhookInput extends SignatureOptions {
  /**
   * The endpoint's active secrets, oldest first, newest last. `standard-webhooks` keys a
   * `whsec_<base64>` secret with its decoded bytes and any other secret with its UTF-8 bytes;
   * the other schemes always key with the whole string.
   */
  secrets: string[];
  /** The exact bytes sent. A string is signed as UTF-8. */
  body: string | Uint8Array;
  /** Unix seconds; signed by `advanced` and `standard-webhooks`. */
  timestamp: number;
  /** The message id receivers deduplicate on; sent as `webhook-id` by `standard-webhooks`. */
  messageId: string;
}

/**
 * The headers that sign one request, with lower-case names:
 * - `simple`: `{ <header>: <hmac(body)> }`, made with the newest secret only;
 * - `advanced`: `{ <header>: 't=<t>,v1=<sig>[,v1=<sig>...]' }`, one `v1` per secret;
 * - `standard-webhooks`: `webhook-id`, `webhook-timestamp` and
 *   `webhook-signature: 'v1,<sig>[ v1,<sig>...]'`, one signature per secret.
 */
export function signWebhook(input: SignWebhookInput): Record<string, string> {
  const { scheme, header, hash, encoding } = resolveSignatureOptions(input);
  const { secrets, body, timestamp, messageId } = input;
  assertSecrets(secrets);
  assertRawBody(body);
  assertUnixSeconds(timestamp, 'timestamp');
  switch (scheme) {
    case 'simple':
      return { [header]: simpleSignature(body, secrets[secrets.length - 1], { hash, encoding }) };
    case 'advanced':
      return { [header]: advancedSignatureHeader(body, secrets, timestamp, { hash, encoding }) };
    case 'standard-webhooks':
      // The id travels in a header, so it must be a valid header value.
      if (typeof messageId !== 'string' || !/^[\x21-\x7e]+$/.test(messageId)) {
        throw new TypeError('messageId must be non-empty printable ASCII without spaces');
      }
      return {
        'webhook-id': messageId,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': standardWebhooksSignatureHeader(body, secrets, messageId, timestamp),
      };
  }
}
