import { randomBytes } from 'node:crypto';
import type { EndpointSecret } from './entities/endpoint.entity';

export function generateEndpointSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** The secret deliveries are signed with now: the newest that has not expired. */
export function currentSecret(secrets: EndpointSecret[], now = new Date()): EndpointSecret | null {
  for (let i = secrets.length - 1; i >= 0; i--) {
    const secret = secrets[i];
    if (!secret.expires_at || new Date(secret.expires_at) > now) return secret;
  }
  return null;
}
