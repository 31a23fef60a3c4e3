import { randomBytes } from 'node:crypto';

/** 24 random bytes in base64url: 32 URL-safe characters, 192 bits nobody can guess. */
export function generateMaskId(): string {
  return randomBytes(24).toString('base64url');
}

/** What a mask id can look like; anything else is unknown without asking the database. */
export const MASK_ID = /^[A-Za-z0-9_-]{16,64}$/;
