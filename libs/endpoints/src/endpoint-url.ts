import { InvalidInputError } from '@caravan/common';
import type { EgressPolicy } from '@caravan/egress';

/**
 * Refuses at once what could never be delivered: credentials in the URL (they would be logged
 * and sent in clear), and literal addresses or ports the egress policy denies. Names are checked
 * again at delivery time, when they are resolved.
 */
export function assertDeliverableUrl(url: string, policy: EgressPolicy): void {
  const parsed = new URL(url);
  if (parsed.username || parsed.password) {
    throw new InvalidInputError(
      'url must not contain credentials; use the endpoint authentication instead',
      'url',
    );
  }
  const port = Number(parsed.port) || (parsed.protocol === 'https:' ? 443 : 80);
  const decision = policy.checkHost(parsed.hostname.replace(/^\[|\]$/g, ''), port);
  if (!decision.allowed) throw new InvalidInputError(`url is not allowed: ${decision.reason}`, 'url');
}
