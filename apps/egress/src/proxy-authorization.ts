import { createHash, timingSafeEqual } from 'node:crypto';

export const PROXY_AUTHENTICATE = ['Basic realm="caravan-egress"', 'Bearer realm="caravan-egress"'];

/**
 * The shared token a client must present, as `Proxy-Authorization: Bearer <token>` or as the
 * password of `Basic` (what proxy URLs like `http://caravan:<token>@egress:4750` produce).
 * Without a token configured, every client is accepted.
 */
export class ProxyAuthorization {
  private readonly expected: Buffer | null;

  constructor(token: string | null) {
    this.expected = token === null ? null : digest(token);
  }

  accepts(header: string | undefined): boolean {
    if (this.expected === null) return true;
    const presented = header === undefined ? null : presentedToken(header);
    // Comparing digests keeps the comparison constant-time whatever the lengths.
    return presented !== null && timingSafeEqual(digest(presented), this.expected);
  }
}

function presentedToken(header: string): string | null {
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match) return null;
  const scheme = match[1].toLowerCase();
  if (scheme === 'bearer') return match[2];
  if (scheme !== 'basic') return null;
  const decoded = Buffer.from(match[2], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? null : decoded.slice(colon + 1);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
