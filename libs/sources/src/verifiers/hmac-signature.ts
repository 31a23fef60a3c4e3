import { createHmac } from 'node:crypto';
import { constantTimeEquals } from './constant-time';
import { IncomingRequest, readHeader, refused, VERIFIED, VerificationResult } from './incoming-request';

export interface HmacVerifierSettings {
  header: string;
  hash: 'sha256' | 'sha512';
  encoding: 'hex' | 'base64';
  secret: string;
}

/** `<header>: <hmac of the raw body>`, in the configured hash and encoding. */
export function verifyHmacSignature(
  request: IncomingRequest,
  settings: HmacVerifierSettings,
): VerificationResult {
  const received = readHeader(request.headers, settings.header);
  if (!received.ok) return received;
  const expected = createHmac(settings.hash, settings.secret).update(request.body).digest(settings.encoding);
  // Hex digests compare ignoring case: some senders upper-case them.
  const value = settings.encoding === 'hex' ? received.value.toLowerCase() : received.value;
  return constantTimeEquals(expected, value)
    ? VERIFIED
    : refused(`signature in ${settings.header} does not match the body`);
}
