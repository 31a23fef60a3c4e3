import { isIPv4 } from 'node:net';
import { IpAddress, parseIpAddress } from './ip-address';

/** What a host from a URL or a CONNECT authority really names, once spelled canonically. */
export type DestinationHost =
  | { kind: 'address'; address: IpAddress }
  | { kind: 'name'; name: string }
  | { kind: 'invalid'; reason: string };

// Characters that would change how a URL around the host is parsed, or that no host has.
const NOT_IN_A_HOST = /[\s/\\?#@]|\p{Cc}/u;
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/**
 * Reads a host the way the WHATWG URL parser does (percent-decoding, IDNA mapping, and its IPv4
 * number rules, which match inet_aton's: `2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1` all mean
 * 127.0.0.1), so a literal address is recognised in any spelling a client or resolver would accept.
 * Brackets around an IPv6 address are optional. Anything the URL parser rejects is invalid.
 */
export function parseDestinationHost(input: string): DestinationHost {
  if (input === '') return { kind: 'invalid', reason: 'empty host' };
  const shown = JSON.stringify(input.length > 100 ? `${input.slice(0, 100)}…` : input);
  if (NOT_IN_A_HOST.test(input)) return { kind: 'invalid', reason: `invalid host ${shown}` };
  const bracketed = input.startsWith('[') && input.endsWith(']');
  if (!bracketed && input.includes(':')) input = `[${input}]`;
  else if (bracketed !== (input.startsWith('[') || input.endsWith(']')))
    return { kind: 'invalid', reason: `invalid host ${shown}` };

  let hostname: string;
  try {
    hostname = new URL(`http://${input}/`).hostname;
  } catch {
    return { kind: 'invalid', reason: `invalid host ${shown}` };
  }
  if (hostname.startsWith('[')) {
    const address = parseIpAddress(hostname.slice(1, -1));
    return address ? { kind: 'address', address } : { kind: 'invalid', reason: `invalid host ${shown}` };
  }
  if (isIPv4(hostname)) return { kind: 'address', address: parseIpAddress(hostname)! };

  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  if (name.length === 0 || name.length > 253 || !name.split('.').every((label) => LABEL.test(label))) {
    return { kind: 'invalid', reason: `invalid host name ${shown}` };
  }
  return { kind: 'name', name };
}

/** `example.com` matches only itself; `*.example.com` matches every name below it, not itself. */
export function hostPatternMatches(pattern: string, name: string): boolean {
  return pattern.startsWith('*.') ? name.endsWith(pattern.slice(1)) : name === pattern;
}
