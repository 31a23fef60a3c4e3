import { hmac } from './hmac';
import type { HmacOptions } from './signature-options';

/**
 * One `v1` value of the `advanced` scheme (Convoy's): HMAC of `<t>,<body>`, keyed with the whole
 * secret string as UTF-8.
 */
export function advancedSignature(
  body: string | Uint8Array,
  secret: string,
  timestamp: number,
  options: HmacOptions,
): string {
  return hmac(options.hash, secret, [`${timestamp},`, body]).toString(options.encoding);
}

/** `t=<unix seconds>,v1=<sig>,v1=<sig>...`: one `v1` per secret, in the order given. */
export function advancedSignatureHeader(
  body: string | Uint8Array,
  secrets: string[],
  timestamp: number,
  options: HmacOptions,
): string {
  const entries = secrets.map((secret) => `v1=${advancedSignature(body, secret, timestamp, options)}`);
  return [`t=${timestamp}`, ...entries].join(',');
}

export type ParsedAdvancedHeader =
  { ok: true; timestamp: number; signatures: string[] } | { ok: false; problem: string };

/**
 * Reads entries by key, not position (Convoy accepts `t` after the `v1`s), and ignores keys it
 * does not know, so a later `v2` does not break today's receivers.
 */
export function parseAdvancedSignatureHeader(value: string): ParsedAdvancedHeader {
  let timestamp: number | undefined;
  const signatures: string[] = [];
  for (const rawEntry of value.split(',')) {
    const entry = rawEntry.trim();
    if (entry === '') continue;
    const equals = entry.indexOf('=');
    if (equals <= 0) return { ok: false, problem: `entry without a key: ${JSON.stringify(entry)}` };
    const key = entry.slice(0, equals);
    // A base64 signature ends in '=', so only the first '=' separates key and value.
    const entryValue = entry.slice(equals + 1);
    if (key === 't') {
      if (timestamp !== undefined) return { ok: false, problem: 'more than one timestamp' };
      if (!/^\d{1,15}$/.test(entryValue)) return { ok: false, problem: 'timestamp is not unix seconds' };
      timestamp = Number(entryValue);
    } else if (key === 'v1' && entryValue !== '') {
      signatures.push(entryValue);
    }
  }
  if (timestamp === undefined) return { ok: false, problem: 'no timestamp' };
  if (signatures.length === 0) return { ok: false, problem: 'no v1 signature' };
  return { ok: true, timestamp, signatures };
}
