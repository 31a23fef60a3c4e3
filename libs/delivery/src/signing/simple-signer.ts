import { createHmac } from 'node:crypto';

export interface SimpleSignatureOptions {
  hash: 'sha256' | 'sha512';
  encoding: 'hex' | 'base64';
}

/** The `simple` scheme: an HMAC of the exact body bytes with the endpoint secret. */
export function signSimple(body: string | Buffer, secret: string, options: SimpleSignatureOptions): string {
  return createHmac(options.hash, secret).update(body).digest(options.encoding);
}
