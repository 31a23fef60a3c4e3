import { IpAddress, IpRange, ipv4, parseIpRange, rangeContains } from './ip-address';

interface SpecialRange {
  range: IpRange;
  /** Completes "<label> 10.0.0.5" in a decision's reason. */
  label: string;
}

function ranges(entries: [cidr: string, label: string][]): SpecialRange[] {
  return entries.map(([cidr, label]) => ({ range: parseIpRange(cidr)!, label }));
}

// First match wins, so the narrow ranges come before the wide ones that hold them.
// Sources: the IANA IPv4 and IPv6 special-purpose address registries (RFC 6890 and updates).
const IPV4 = ranges([
  ['169.254.169.254/32', 'cloud metadata address'], // AWS, GCP, Azure, OpenStack, DigitalOcean...
  ['169.254.170.2/32', 'cloud metadata address'], // AWS ECS task metadata
  ['100.100.100.200/32', 'cloud metadata address'], // Alibaba Cloud
  ['0.0.0.0/8', 'unspecified address'], // "this network"; Linux connects 0.0.0.0 to the local host
  ['10.0.0.0/8', 'private address'],
  ['100.64.0.0/10', 'carrier-grade NAT address'],
  ['127.0.0.0/8', 'loopback address'],
  ['169.254.0.0/16', 'link-local address'],
  ['172.16.0.0/12', 'private address'],
  ['192.0.0.0/24', 'IETF protocol assignment address'],
  ['192.0.2.0/24', 'documentation address'],
  ['192.88.99.0/24', '6to4 relay anycast address'],
  ['192.168.0.0/16', 'private address'],
  ['198.18.0.0/15', 'benchmarking address'],
  ['198.51.100.0/24', 'documentation address'],
  ['203.0.113.0/24', 'documentation address'],
  ['224.0.0.0/4', 'multicast address'],
  ['255.255.255.255/32', 'broadcast address'],
  ['240.0.0.0/4', 'reserved address'],
]);

// Checked after IPv4-mapped, IPv4-compatible and NAT64 forms were turned into their IPv4 address.
const IPV6 = ranges([
  ['::/128', 'unspecified address'],
  ['::1/128', 'loopback address'],
  ['64:ff9b:1::/48', 'NAT64 local-use address'],
  ['100::/64', 'discard-only address'],
  ['2001::/32', 'Teredo address'],
  ['2001:2::/48', 'benchmarking address'],
  ['2001::/23', 'IETF protocol assignment address'],
  ['2001:db8::/32', 'documentation address'],
  ['3fff::/20', 'documentation address'],
  ['fd00:ec2::254/128', 'cloud metadata address'], // AWS IMDS over IPv6
  ['fc00::/7', 'unique local address'],
  ['fe80::/10', 'link-local address'],
  ['fec0::/10', 'site-local address'],
  ['ff00::/8', 'multicast address'],
]);

const GLOBAL_UNICAST = parseIpRange('2000::/3')!;
const SIX_TO_FOUR = parseIpRange('2002::/16')!;

export type Ipv4Embedding = 'IPv4-mapped' | 'IPv4-compatible' | 'NAT64';

/**
 * The IPv4 address an IPv6 address stands for, when a packet to it ends up at that IPv4 address:
 * `::ffff:a.b.c.d` (mapped: a dual-stack socket connects over IPv4), `::a.b.c.d` (the deprecated
 * compatible form) and `64:ff9b::a.b.c.d` (NAT64, translated by the network).
 */
export function embeddedIpv4(address: IpAddress): { embedding: Ipv4Embedding; ipv4: IpAddress } | null {
  if (address.family !== 6 || address.value <= 1n) return null;
  const high = address.value >> 32n;
  const low = ipv4(address.value & 0xffffffffn);
  if (high === 0xffffn) return { embedding: 'IPv4-mapped', ipv4: low };
  if (high === 0n) return { embedding: 'IPv4-compatible', ipv4: low };
  if (high === 0x64ff9b0000000000000000n) return { embedding: 'NAT64', ipv4: low };
  return null;
}

/**
 * Why an address is not a public destination, as a reason ("private address 10.0.0.5"), or null
 * for a public address. IPv4 inside IPv6 (see embeddedIpv4) is the caller's to unwrap first.
 */
export function specialPurposeReason(address: IpAddress): string | null {
  const table = address.family === 4 ? IPV4 : IPV6;
  const special = table.find(({ range }) => rangeContains(range, address));
  if (special) return `${special.label} ${address.text}`;
  if (address.family === 4) return null;
  if (rangeContains(SIX_TO_FOUR, address)) {
    // 6to4 routes to the IPv4 address in bits 16-47: deny it when that address would be denied.
    const inner = specialPurposeReason(ipv4((address.value >> 80n) & 0xffffffffn));
    return inner ? `6to4 address ${address.text} embeds ${inner}` : null;
  }
  return rangeContains(GLOBAL_UNICAST, address) ? null : `reserved address ${address.text}`;
}
