import { EgressPolicy } from './egress-policy';
import { HostResolver, UnresolvableHost } from './host-resolver';

export interface DestinationDecision {
  outcome: 'allowed' | 'denied' | 'unresolvable';
  allowed: boolean;
  reason: string;
  /** The host spelled canonically (see EgressPolicy.checkHost). */
  host: string;
  port: number;
  /**
   * When allowed: the checked addresses, in the order to try them; connect to these and never
   * resolve the name again (a second answer could differ: DNS rebinding). When denied: the
   * address that was refused, if the refusal was about an address.
   */
  addresses: string[];
}

/**
 * Decides one destination end to end: the host and port, then every address the name resolves
 * to. One denied address denies the destination, so a name cannot smuggle an internal address
 * in among public ones.
 */
export class EgressGuard {
  constructor(
    readonly policy: EgressPolicy,
    private readonly resolver: HostResolver = new HostResolver(),
  ) {}

  async checkDestination(host: string, port: number): Promise<DestinationDecision> {
    const checked = this.policy.checkHost(host, port);
    const decision = (
      outcome: DestinationDecision['outcome'],
      reason: string,
      addresses: string[],
    ): DestinationDecision => ({
      outcome,
      allowed: outcome === 'allowed',
      reason,
      host: checked.host,
      port,
      addresses,
    });
    if (!checked.allowed) return decision('denied', checked.reason, checked.address ? [checked.address] : []);
    if (checked.address) return decision('allowed', checked.reason, [checked.address]);

    let resolved: string[];
    try {
      resolved = await this.resolver.resolve(checked.host);
    } catch (error) {
      if (error instanceof UnresolvableHost) return decision('unresolvable', error.message, []);
      throw error;
    }
    const verdicts = resolved.map((address) => ({
      address,
      ...this.policy.checkAddress(address, port, checked),
    }));
    const refused = verdicts.find((verdict) => !verdict.allowed);
    if (refused)
      return decision('denied', `${checked.host} resolves to ${refused.reason}`, [refused.address]);
    return decision(
      'allowed',
      verdicts[0].reason,
      verdicts.map((verdict) => verdict.address),
    );
  }
}
