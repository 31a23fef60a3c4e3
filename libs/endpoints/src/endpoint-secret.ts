import { InvalidInputError } from '@caravan/common';
import { generateWebhookSecret } from '@caravan/signatures';
import type { EndpointSecret } from './entities/endpoint.entity';

// Secrets are pasted into receivers' configuration: keep them to printable ASCII.
export const PRINTABLE_SECRET = /^[\x21-\x7e]+$/;

/** `whsec_<base64>`: usable by every signature scheme (Standard Webhooks decodes it, the others use it as is). */
export const generateEndpointSecret = generateWebhookSecret;

/** The secrets that sign now, oldest first: every one not expired. */
export function activeSecrets(secrets: EndpointSecret[], now = new Date()): EndpointSecret[] {
  return secrets.filter((secret) => !secret.expires_at || new Date(secret.expires_at) > now);
}

/** The secret deliveries are signed with now: the newest that has not expired. */
export function currentSecret(secrets: EndpointSecret[], now = new Date()): EndpointSecret | null {
  return activeSecrets(secrets, now).at(-1) ?? null;
}

/**
 * Starts a new current secret; every older one stays valid until `expiresAt` at the latest.
 * Secrets expired for more than a week are dropped, so the list stays short.
 */
export function rotateSecrets(
  secrets: EndpointSecret[],
  sealedNew: string,
  expiresAt: Date,
  now = new Date(),
): EndpointSecret[] {
  const forgetBefore = new Date(now.getTime() - 7 * 24 * 3600 * 1000);
  const kept = secrets
    .filter((secret) => !secret.expires_at || new Date(secret.expires_at) > forgetBefore)
    .map((secret) =>
      !secret.expires_at || new Date(secret.expires_at) > expiresAt
        ? { ...secret, expires_at: expiresAt.toISOString() }
        : secret,
    );
  return [...kept, { value: sealedNew, created_at: now.toISOString(), expires_at: null }];
}

/** Standard Webhooks receivers decode `whsec_<base64>` secrets; any other form could not verify. */
export function assertSecretFitsScheme(secret: string, scheme: string): void {
  if (scheme !== 'standard-webhooks') return;
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  if (!match || Buffer.from(match[1], 'base64').length < 24) {
    throw new InvalidInputError(
      'secret must be whsec_<base64 of 24+ bytes> for the standard-webhooks scheme',
      'secret',
    );
  }
}
