import { InvalidInputError } from '@caravan/common';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
// Headers Caravan sets itself or that would corrupt the HTTP exchange.
const RESERVED = new Set(['host', 'content-length', 'content-type', 'transfer-encoding', 'connection', 'user-agent', 'te', 'upgrade', 'expect', 'keep-alive', 'proxy-authorization', 'trailer']);
const MAX_HEADERS = 50;
const MAX_VALUE_LENGTH = 4096;

/** Checks an event's custom_headers; throws naming the offending header. */
export function validateCustomHeaders(headers: unknown): Record<string, string> | null {
  if (headers === undefined || headers === null) return null;
  if (typeof headers !== 'object' || Array.isArray(headers)) {
    throw new InvalidInputError('custom_headers must be an object of header names to string values', 'custom_headers');
  }
  const entries = Object.entries(headers as Record<string, unknown>);
  if (entries.length > MAX_HEADERS) {
    throw new InvalidInputError(`custom_headers may hold at most ${MAX_HEADERS} headers`, 'custom_headers');
  }
  for (const [name, value] of entries) {
    const field = `custom_headers.${name}`;
    if (!TOKEN.test(name)) throw new InvalidInputError(`"${name}" is not a valid header name`, field);
    const lower = name.toLowerCase();
    if (RESERVED.has(lower) || lower.startsWith('x-caravan-') || lower.startsWith('webhook-')) {
      throw new InvalidInputError(`header "${name}" is set by Caravan and cannot be overridden`, field);
    }
    if (typeof value !== 'string') throw new InvalidInputError(`header "${name}" must have a string value`, field);
    if (value.length > MAX_VALUE_LENGTH || /[\r\n\0]/.test(value)) {
      throw new InvalidInputError(`header "${name}" has a value that cannot be sent`, field);
    }
  }
  return entries.length ? (headers as Record<string, string>) : null;
}
