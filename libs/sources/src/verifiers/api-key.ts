import { constantTimeEquals } from './constant-time';
import { IncomingRequest, readHeader, refused, VERIFIED, VerificationResult } from './incoming-request';

/** `<header_name>: <header_value>`, compared exactly. */
export function verifyApiKey(
  request: IncomingRequest,
  headerName: string,
  headerValue: string,
): VerificationResult {
  const received = readHeader(request.headers, headerName);
  if (!received.ok) return received;
  return constantTimeEquals(headerValue, received.value)
    ? VERIFIED
    : refused(`the value of ${headerName} does not match`);
}
