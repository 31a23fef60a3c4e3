import { createHmac, timingSafeEqual } from 'node:crypto';

/** HMAC over the concatenation of `parts`, each a string (UTF-8) or raw bytes. */
export function hmac(hash: string, key: string | Uint8Array, parts: Array<string | Uint8Array>): Buffer {
  const mac = createHmac(hash, key);
  // Updating part by part keeps a binary body's bytes exact; turning it into a string would not.
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Constant-time comparison of two signature strings. Their length is not secret. */
export function signaturesEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(received, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
