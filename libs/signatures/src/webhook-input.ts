/** Checks shared by signing and verifying. They throw TypeError: each is a caller's bug, never a request's fault. */

export function assertRawBody(body: unknown): asserts body is string | Uint8Array {
  if (typeof body !== 'string' && !(body instanceof Uint8Array)) {
    // The usual mistake: handing over the parsed JSON, whose re-serialisation differs from the bytes sent.
    throw new TypeError('body must be the raw request body as a string or Buffer, not a parsed object');
  }
}

export function assertSecrets(secrets: unknown): asserts secrets is string[] {
  if (!Array.isArray(secrets) || secrets.length === 0) throw new TypeError('at least one secret is required');
  if (secrets.some((secret) => typeof secret !== 'string' || secret === '')) {
    throw new TypeError('a secret must be a non-empty string');
  }
}

export function assertUnixSeconds(timestamp: unknown, name: string): asserts timestamp is number {
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new TypeError(`${name} must be whole unix seconds`);
  }
}
