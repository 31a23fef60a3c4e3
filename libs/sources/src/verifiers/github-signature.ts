import { createHmac } from 'node:crypto';
import { constantTimeEquals } from './constant-time';
import { IncomingRequest, readHeader, refused, VERIFIED, VerificationResult } from './incoming-request';

export const GITHUB_SIGNATURE_HEADER = 'X-Hub-Signature-256';

/** GitHub: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. */
export function verifyGithubSignature(request: IncomingRequest, secret: string): VerificationResult {
  const received = readHeader(request.headers, GITHUB_SIGNATURE_HEADER);
  if (!received.ok) return received;
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(received.value);
  if (!match) return refused(`${GITHUB_SIGNATURE_HEADER} must be sha256=<64 hex digits>`);
  const expected = createHmac('sha256', secret).update(request.body).digest('hex');
  return constantTimeEquals(expected, match[1].toLowerCase())
    ? VERIFIED
    : refused(`signature in ${GITHUB_SIGNATURE_HEADER} does not match the body`);
}
