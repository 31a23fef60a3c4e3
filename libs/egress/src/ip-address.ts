import { isIPv4, isIPv6 } from 'node:net';

/** An IPv4 or IPv6 address as a number, so ranges can be checked with plain bit arithmetic. */
export interface IpAddress {
  family: 4 | 6;
  /** 32 bits for IPv4, 128 bits for IPv6. */
  value: bigint;
  /** Canonical text: dotted quad, or RFC 5952 compressed IPv6 without brackets. */
  text: string;
}

export interface IpRange {
  family: 4 | 6;
  network: bigint;
  prefix: number;
  text: string;
}

const BITS = { 4: 32, 6: 128 } as const;

/**
 * Parses an address in its standard spelling only (dotted-quad decimal IPv4, or IPv6 text),
 * as a resolver returns it or as an operator writes it in a setting. Odd spellings such as
 * `0177.0.0.1` are not addresses here: for those see parseHostLiteral in destination-host.ts.
 */
export function parseIpAddress(text: string): IpAddress | null {
  if (isIPv4(text)) return ipv4(parseDottedQuad(text));
  const withoutZone = text.includes('%') ? text.slice(0, text.indexOf('%')) : text;
  if (!isIPv6(withoutZone)) return null;
  const value = parseIpv6(withoutZone);
  return value === null ? null : ipv6(value);
}

export function ipv4(value: bigint): IpAddress {
  return { family: 4, value, text: formatIpv4(value) };
}

export function ipv6(value: bigint): IpAddress {
  return { family: 6, value, text: formatIpv6(value) };
}

/** `10.0.0.0/8`, `fc00::/7`, or a bare address meaning a single-address range. Host bits are cleared. */
export function parseIpRange(text: string): IpRange | null {
  if (text.includes('%')) return null;
  const slash = text.indexOf('/');
  const address = parseIpAddress(slash === -1 ? text : text.slice(0, slash));
  if (!address) return null;
  const bits = BITS[address.family];
  let prefix: number = bits;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText)) return null;
    prefix = Number(prefixText);
    if (prefix > bits) return null;
  }
  const network = prefix === 0 ? 0n : (address.value >> BigInt(bits - prefix)) << BigInt(bits - prefix);
  const networkText = address.family === 4 ? formatIpv4(network) : formatIpv6(network);
  return { family: address.family, network, prefix, text: `${networkText}/${prefix}` };
}

export function rangeContains(range: IpRange, address: IpAddress): boolean {
  if (range.family !== address.family) return false;
  const shift = BigInt(BITS[range.family] - range.prefix);
  return address.value >> shift === range.network >> shift;
}

function parseDottedQuad(text: string): bigint {
  return text.split('.').reduce((value, part) => (value << 8n) | BigInt(Number(part)), 0n);
}

/** Expects text that net.isIPv6 accepted (no zone). Handles `::` and a dotted IPv4 tail. */
function parseIpv6(text: string): bigint | null {
  let groups: string[];
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let body = text;
  const extra: string[] = [];
  if (tail) {
    const v4 = parseDottedQuad(tail[1]);
    extra.push(((v4 >> 16n) & 0xffffn).toString(16), (v4 & 0xffffn).toString(16));
    body = text.slice(0, text.length - tail[1].length);
    if (body.endsWith(':') && !body.endsWith('::')) body = body.slice(0, -1);
  }
  const doubleColon = body.indexOf('::');
  if (doubleColon === -1) {
    groups = [...body.split(':').filter((group) => group !== ''), ...extra];
  } else {
    const head = body
      .slice(0, doubleColon)
      .split(':')
      .filter((group) => group !== '');
    const rest = [
      ...body
        .slice(doubleColon + 2)
        .split(':')
        .filter((group) => group !== ''),
      ...extra,
    ];
    const missing = 8 - head.length - rest.length;
    if (missing < 1) return null;
    groups = [...head, ...Array<string>(missing).fill('0'), ...rest];
  }
  if (groups.length !== 8) return null;
  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString()).join('.');
}

/** RFC 5952: lower-case hex, leading zeros dropped, the longest run (two or more) of zero groups as `::`. */
function formatIpv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, index) =>
    Number((value >> BigInt(112 - index * 16)) & 0xffffn),
  );
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8;) {
    if (groups[start] !== 0) {
      start++;
      continue;
    }
    let end = start;
    while (end < 8 && groups[end] === 0) end++;
    if (end - start > bestLength) {
      bestStart = start;
      bestLength = end - start;
    }
    start = end;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
