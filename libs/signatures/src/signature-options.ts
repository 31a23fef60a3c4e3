export const SIGNATURE_SCHEMES = ['simple', 'advanced', 'standard-webhooks'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

export const SIGNATURE_HASHES = ['sha256', 'sha512'] as const;
export type SignatureHash = (typeof SIGNATURE_HASHES)[number];

export const SIGNATURE_ENCODINGS = ['hex', 'base64'] as const;
export type SignatureEncoding = (typeof SIGNATURE_ENCODINGS)[number];

export const DEFAULT_SIGNATURE_HEADER = 'X-Caravan-Signature';

/** How a project signs. `header`, `hash` and `encoding` apply to `simple` and `advanced` only. */
export interface SignatureOptions {
  scheme: SignatureScheme;
  /** Default `X-Caravan-Signature`. Standard Webhooks fixes its own header names. */
  header?: string;
  /** Default `sha256`. Standard Webhooks is always HMAC-SHA256. */
  hash?: SignatureHash;
  /** Default `hex`. Standard Webhooks is always base64. */
  encoding?: SignatureEncoding;
}

export interface HmacOptions {
  hash: SignatureHash;
  encoding: SignatureEncoding;
}

export interface ResolvedSignatureOptions extends HmacOptions {
  scheme: SignatureScheme;
  /** Lower-case. */
  header: string;
}

// RFC 9110 token: what an HTTP field name may contain.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Fills in defaults and rejects options no project could have been saved with. Throws a
 * TypeError: a bad option is a caller's bug, not something a request can cause.
 */
export function resolveSignatureOptions(options: SignatureOptions): ResolvedSignatureOptions {
  const { scheme, header = DEFAULT_SIGNATURE_HEADER, hash = 'sha256', encoding = 'hex' } = options;
  if (!SIGNATURE_SCHEMES.includes(scheme)) throw new TypeError(`unknown signature scheme ${String(scheme)}`);
  if (!SIGNATURE_HASHES.includes(hash)) throw new TypeError(`unknown signature hash ${String(hash)}`);
  if (!SIGNATURE_ENCODINGS.includes(encoding))
    throw new TypeError(`unknown signature encoding ${String(encoding)}`);
  if (typeof header !== 'string' || !HEADER_NAME.test(header)) {
    throw new TypeError(`invalid signature header name ${JSON.stringify(header)}`);
  }
  return { scheme, header: header.toLowerCase(), hash, encoding };
}
