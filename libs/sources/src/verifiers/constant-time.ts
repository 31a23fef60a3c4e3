import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets or signatures in time that depends on neither value nor on where they
 * differ. Both sides are hashed first, so their lengths need not match and are not revealed.
 */
export function constantTimeEquals(expected: string | Uint8Array, received: string | Uint8Array): boolean {
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(received).digest();
  return timingSafeEqual(a, b);
}
