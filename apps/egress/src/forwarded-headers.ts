// RFC 9110 section 7.6.1: headers that describe one connection, not the message, and so stop at a
// proxy. Proxy-* headers (the client's credentials for this proxy) never go further either.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/**
 * The headers to pass on, as a flat [name, value, name, value...] list that keeps their case,
 * order and repeats. Drops hop-by-hop headers, those the Connection header names, and Proxy-*.
 * `host`, when given, replaces the Host header (a proxy sends the authority of the target URI).
 */
export function forwardedHeaders(rawHeaders: string[], host?: string): string[] {
  const named = new Set<string>();
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (rawHeaders[index].toLowerCase() !== 'connection') continue;
    for (const token of rawHeaders[index + 1].split(',')) named.add(token.trim().toLowerCase());
  }
  const kept: string[] = host === undefined ? [] : ['Host', host];
  for (let index = 0; index < rawHeaders.length; index += 2) {
    const name = rawHeaders[index].toLowerCase();
    if (HOP_BY_HOP.has(name) || named.has(name) || name.startsWith('proxy-')) continue;
    if (host !== undefined && name === 'host') continue;
    kept.push(rawHeaders[index], rawHeaders[index + 1]);
  }
  return kept;
}
