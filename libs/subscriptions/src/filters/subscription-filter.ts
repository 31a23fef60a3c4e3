import { InvalidInputError } from '@caravan/common';
import { compileFilter, FilterPredicate } from './filter-compiler';
import { isJsonObject } from './json-value';

/** A subscription's filter as stored and shown: one filter for the event's data, one for its custom headers. */
export interface SubscriptionFilter {
  body?: Record<string, unknown>;
  headers?: Record<string, unknown>;
}

/** What a subscription filter looks at, prepared once per event. */
export interface FilterSubject {
  body: unknown;
  /** Header names lower-cased. */
  headers: Record<string, unknown>;
}

export type SubscriptionFilterPredicate = (subject: FilterSubject) => boolean;

const PARTS = ['body', 'headers'];

/**
 * Validates a subscription filter and returns it in its stored form: null for no filter, and
 * without parts given as null. Throws InvalidInputError naming the field, e.g. `filter.body.a.$gtx`.
 */
export function parseSubscriptionFilter(filter: unknown, field = 'filter'): SubscriptionFilter | null {
  if (filter === undefined || filter === null) return null;
  if (!isJsonObject(filter))
    throw new InvalidInputError(`${field} must be an object with body and/or headers filters`, field);
  const unknown = Object.keys(filter).find((key) => !PARTS.includes(key));
  if (unknown !== undefined) throw new InvalidInputError(`unknown field "${unknown}"`, `${field}.${unknown}`);
  compileSubscriptionFilter(filter, field);
  const parsed: SubscriptionFilter = {};
  if (filter.body !== undefined && filter.body !== null) parsed.body = filter.body as Record<string, unknown>;
  if (filter.headers !== undefined && filter.headers !== null)
    parsed.headers = filter.headers as Record<string, unknown>;
  return parsed;
}

/** Compiles a stored or given filter; an absent filter, or an absent part, matches everything. */
export function compileSubscriptionFilter(
  filter: SubscriptionFilter | null | undefined,
  field = 'filter',
): SubscriptionFilterPredicate {
  const body = filter?.body == null ? null : compileFilter(filter.body, `${field}.body`);
  const headers =
    filter?.headers == null ? null : compileFilter(filter.headers, `${field}.headers`, { headerNames: true });
  return (subject) => matches(body, subject.body) && matches(headers, subject.headers);
}

/** Header names are case-insensitive in HTTP: lower-case them once, as the compiled filter expects. */
export function filterSubject(
  body: unknown,
  headers: Record<string, unknown> | null | undefined,
): FilterSubject {
  // fromEntries defines own properties, so a header named __proto__ stays a header.
  const lowered = Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return { body, headers: lowered };
}

function matches(predicate: FilterPredicate | null, document: unknown): boolean {
  return predicate === null || predicate(document);
}
