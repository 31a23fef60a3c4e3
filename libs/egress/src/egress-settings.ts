import { EgressGuard } from './egress-guard';
import { EgressPolicy, EgressPolicySettings } from './egress-policy';
import { HostResolver } from './host-resolver';

export interface EgressGuardSettings extends EgressPolicySettings {
  staticHosts: Record<string, string[]>;
}

/** The guard every process builds from its egress settings: the proxy, the agent and the API. */
export function egressGuardFrom(settings: EgressGuardSettings): EgressGuard {
  return new EgressGuard(new EgressPolicy(settings), new HostResolver(settings.staticHosts));
}

/** Raised when a destination is refused; the message is the reason a user reads. */
export class EgressBlockedError extends Error {
  constructor(reason: string) {
    super(`blocked by egress policy: ${reason}`);
    this.name = 'EgressBlockedError';
  }
}
