import { createHash, randomBytes } from 'node:crypto';

const PREFIX_ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

export interface GeneratedKey {
  key: string;
  prefix: string;
  hash: string;
}

/**
 * Keys look like `cv_<prefix>_<secret>`: the prefix is shown in lists to tell keys apart, the
 * 256-bit secret is seen once. `role` marks root keys (`cvr_`) so a leaked one is recognisable.
 */
export function generateApiKey(kind: 'root' | 'project'): GeneratedKey {
  const bytes = randomBytes(8);
  const prefix = Array.from(bytes, (b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length]).join('');
  const key = `${kind === 'root' ? 'cvr' : 'cv'}_${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
