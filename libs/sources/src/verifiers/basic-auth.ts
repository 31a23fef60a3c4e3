import { constantTimeEquals } from './constant-time';
import { IncomingRequest, readHeader, refused, VERIFIED, VerificationResult } from './incoming-request';

/** `Authorization: Basic <base64 of "username:password">`. */
export function verifyBasicAuth(
  request: IncomingRequest,
  username: string,
  password: string,
): VerificationResult {
  const received = readHeader(request.headers, 'Authorization');
  if (!received.ok) return received;
  const match = /^Basic\s+([A-Za-z0-9+/]+={0,2})$/i.exec(received.value);
  if (!match) return refused('Authorization must be Basic credentials');
  const credentials = Buffer.from(match[1], 'base64').toString('utf8');
  return constantTimeEquals(`${username}:${password}`, credentials)
    ? VERIFIED
    : refused('the basic auth credentials do not match');
}
