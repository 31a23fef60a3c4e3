import { hmac } from './hmac';
import type { HmacOptions } from './signature-options';

/**
 * The `simple` scheme: HMAC of the exact body bytes, keyed with the whole secret string as UTF-8.
 * The header carries one signature only, so during a rotation it is made with the newest secret.
 */
export function simpleSignature(body: string | Uint8Array, secret: string, options: HmacOptions): string {
  return hmac(options.hash, secret, [body]).toString(options.encoding);
}
