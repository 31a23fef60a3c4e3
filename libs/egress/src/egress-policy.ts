import { hostPatternMatches, parseDestinationHost } from './destination-host';
import { IpAddress, IpRange, parseIpAddress, parseIpRange, rangeContains } from './ip-address';
import { embeddedIpv4, specialPurposeReason } from './special-purpose-ranges';

export interface EgressPolicySettings {
  /** Ranges allowed despite the default denies, on any port (e.g. `127.0.0.0/8` in development). */
  allowCidrs: string[];
  /** Ranges always denied, even when allow-listed. */
  denyCidrs: string[];
  /** Names (`hooks.internal`, `*.corp.example`) whose addresses are allowed despite the default denies, on any port. */
  allowHosts: string[];
  /** Names always denied, even when allow-listed. */
  denyHosts: string[];
  /** Ports a destination that is not allow-listed may use. */
  allowedPorts: number[] | 'any';
}

export const DEFAULT_ALLOWED_PORTS = [80, 443];

export interface EgressDecision {
  allowed: boolean;
  /** For a person: `private address 10.0.0.5`, `port 25 not allowed`, `allow-listed host hooks.internal`. */
  reason: string;
}

export interface HostDecision extends EgressDecision {
  /** The host spelled canonically: a lower-case name without trailing dot, or an address. */
  host: string;
  /** Set when the host was an address (in any spelling): the decision is then final, nothing to resolve. */
  address: string | null;
  /** A name on the allow-list: its addresses skip the default denies and the port list. */
  hostAllowListed: boolean;
}

export class InvalidEgressSetting extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEgressSetting';
  }
}

/**
 * The SSRF policy: which destinations an outgoing request may reach. Deny by default every
 * address that is not public (loopback, private, link-local and cloud metadata, CGNAT, multicast,
 * reserved, documentation..., including IPv4 written inside IPv6), and every port but 80 and 443.
 *
 * Order of the rules, first match wins: the deny lists; the allow lists (an allow-listed
 * destination may use any port); the default denies; the port list.
 *
 * A destination is checked twice: its host and port before resolution (checkHost), then each
 * address the name resolved to (checkAddress). The caller connects only to a checked address.
 */
export class EgressPolicy {
  private readonly allowRanges: IpRange[];
  private readonly denyRanges: IpRange[];
  private readonly allowHosts: string[];
  private readonly denyHosts: string[];
  private readonly allowedPorts: ReadonlySet<number> | 'any';

  constructor(settings: EgressPolicySettings) {
    this.allowRanges = settings.allowCidrs.map((cidr) => rangeSetting('allow', cidr));
    this.denyRanges = settings.denyCidrs.map((cidr) => rangeSetting('deny', cidr));
    this.allowHosts = settings.allowHosts.map(normalizeHostPattern);
    this.denyHosts = settings.denyHosts.map(normalizeHostPattern);
    if (settings.allowedPorts !== 'any') {
      const bad = settings.allowedPorts.find((port) => !validPort(port));
      if (bad !== undefined)
        throw new InvalidEgressSetting(`allowed port ${bad} is not a port from 1 to 65535`);
    }
    this.allowedPorts = settings.allowedPorts === 'any' ? 'any' : new Set(settings.allowedPorts);
  }

  /**
   * The check before resolution. A literal address (`10.1`, `0x7f.1`, `[::ffff:7f00:1]`) is
   * decided here for good; a name passes when it is not deny-listed and its port may still be
   * allowed, and its addresses must then go through checkAddress.
   */
  checkHost(host: string, port: number): HostDecision {
    const parsed = parseDestinationHost(host);
    if (parsed.kind === 'invalid')
      return { allowed: false, reason: parsed.reason, host, address: null, hostAllowListed: false };
    if (parsed.kind === 'address') {
      return {
        ...this.checkAddress(parsed.address, port),
        host: parsed.address.text,
        address: parsed.address.text,
        hostAllowListed: false,
      };
    }
    const name = parsed.name;
    const decided = (allowed: boolean, reason: string, hostAllowListed = false): HostDecision => ({
      allowed,
      reason,
      host: name,
      address: null,
      hostAllowListed,
    });
    if (!validPort(port)) return decided(false, `invalid port ${port}`);
    if (this.denyHosts.some((pattern) => hostPatternMatches(pattern, name)))
      return decided(false, `deny-listed host ${name}`);
    if (this.allowHosts.some((pattern) => hostPatternMatches(pattern, name)))
      return decided(true, `allow-listed host ${name}`, true);
    // Only an allow-listed address could still grant this port; with none configured, say no now.
    if (!this.portAllowed(port) && this.allowRanges.length === 0)
      return decided(false, `port ${port} not allowed`);
    return decided(true, `host ${name} to be checked once resolved`);
  }

  /** The check of one address a name resolved to (or of a literal). `host` is that name's checkHost decision. */
  checkAddress(address: string | IpAddress, port: number, host?: HostDecision): EgressDecision {
    const ip = typeof address === 'string' ? parseIpAddress(address) : address;
    if (!ip) return { allowed: false, reason: `invalid address ${JSON.stringify(address)}` };
    if (!validPort(port)) return { allowed: false, reason: `invalid port ${port}` };
    const embedded = embeddedIpv4(ip);
    const target = embedded?.ipv4 ?? ip;
    const as = embedded ? ` (as ${embedded.embedding} ${ip.text})` : '';

    const denied = this.denyRanges.find((range) => rangeContains(range, ip) || rangeContains(range, target));
    if (denied)
      return { allowed: false, reason: `deny-listed address ${target.text}${as} in ${denied.text}` };
    const allowed = this.allowRanges.find(
      (range) => rangeContains(range, ip) || rangeContains(range, target),
    );
    if (allowed)
      return { allowed: true, reason: `allow-listed address ${target.text}${as} in ${allowed.text}` };
    if (host?.hostAllowListed)
      return { allowed: true, reason: `allow-listed host ${host.host} at ${ip.text}` };
    const special = specialPurposeReason(target);
    if (special) return { allowed: false, reason: `${special}${as}` };
    if (!this.portAllowed(port)) return { allowed: false, reason: `port ${port} not allowed` };
    return { allowed: true, reason: `public address ${target.text}${as}` };
  }

  private portAllowed(port: number): boolean {
    return this.allowedPorts === 'any' || this.allowedPorts.has(port);
  }
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 1 && port <= 65535;
}

function rangeSetting(list: 'allow' | 'deny', cidr: string): IpRange {
  const range = parseIpRange(cidr.trim());
  if (!range)
    throw new InvalidEgressSetting(
      `${list} CIDR ${JSON.stringify(cidr)} is not an address or address/prefix`,
    );
  return range;
}

function normalizeHostPattern(pattern: string): string {
  const lower = pattern.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}
