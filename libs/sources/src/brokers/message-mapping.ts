import { createHash } from 'node:crypto';
import { isId } from '@caravan/common';
import { EVENT_TYPE_NAME } from '@caravan/event-types';
import type { BrokerMessage } from './broker-consumer';
import { valueAtPath } from '../mapping/json-path';

/**
 * Where a broker source finds an event's fields in a message body: dotted paths into the JSON body
 * (`meta.type`, `items.0.id`). A message attribute of the same name, when present, wins over the path.
 * The first four are a source's stored mapping; paths are validated with the source's configuration.
 */
export interface MessageMapping {
  event_type_path?: string | null;
  endpoint_id_path?: string | null;
  owner_id_path?: string | null;
  idempotency_key_path?: string | null;
  /** The event's data; the whole body when unset. */
  data_path?: string | null;
  /** An object of header names to string values, sent with every delivery of the event. */
  custom_headers_path?: string | null;
}

/** An event ready for ingestion: the same fields as the events API's create body. */
export interface MappedEvent {
  event_type: string;
  data: Record<string, unknown>;
  endpoint_id?: string;
  owner_id?: string;
  idempotency_key?: string;
  custom_headers?: Record<string, string>;
}

export type MappingResult = { event: MappedEvent } | { poison: string };

/**
 * Attribute names (SQS message attributes, Kafka headers, Pub/Sub attributes) that carry an event's fields.
 * Matched ignoring case, with `-` and `_` alike (`Event-Type` works); every attribute whose name starts
 * with `x-` becomes a custom header of that name.
 */
export const MAPPING_ATTRIBUTES = {
  eventType: 'event_type',
  endpointId: 'endpoint_id',
  ownerId: 'owner_id',
  idempotencyKey: 'idempotency_key',
  customHeaderPrefix: 'x-',
} as const;

// The same rules as the events API's create body (CreateEventDto) and as HTTP sources, so a message is
// judged poison here rather than failing inside the sink.
const MAX_ID_LENGTH = 200;
const MAX_REASON_EXCERPT = 80;

/**
 * Maps a broker message to an event, or says why it never can be (poison): the body is not JSON, there is
 * no event type, or a field breaks the events API's rules. Pure: the same message always maps the same way.
 */
export function mapMessage(message: BrokerMessage, mapping: MessageMapping = {}): MappingResult {
  let body: unknown;
  try {
    body = JSON.parse(message.body.toString('utf8'));
  } catch (error) {
    return { poison: `body is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const attributes = normalizeAttributes(message.attributes);

  const fields: Partial<Record<'event_type' | 'endpoint_id' | 'owner_id' | 'idempotency_key', string>> = {};
  const sources = [
    ['event_type', MAPPING_ATTRIBUTES.eventType, mapping.event_type_path],
    ['endpoint_id', MAPPING_ATTRIBUTES.endpointId, mapping.endpoint_id_path],
    ['owner_id', MAPPING_ATTRIBUTES.ownerId, mapping.owner_id_path],
    ['idempotency_key', MAPPING_ATTRIBUTES.idempotencyKey, mapping.idempotency_key_path],
  ] as const;
  for (const [field, attribute, path] of sources) {
    const fromAttribute = attributes.get(attribute);
    if (fromAttribute !== undefined && fromAttribute !== '') {
      fields[field] = fromAttribute;
      continue;
    }
    if (!path) continue;
    const value = valueAtPath(body, path);
    if (value === undefined || value === null || value === '') continue;
    if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) {
      fields[field] = String(value);
    } else {
      return { poison: `the value at ${field}_path "${path}" must be a string (got ${typeName(value)})` };
    }
  }

  if (fields.event_type === undefined) {
    const where = mapping.event_type_path
      ? ` or a value at event_type_path "${mapping.event_type_path}"`
      : '';
    return { poison: `no event type: set the "${MAPPING_ATTRIBUTES.eventType}" attribute${where}` };
  }
  if (!EVENT_TYPE_NAME.test(fields.event_type)) {
    return { poison: `event type "${excerpt(fields.event_type)}" must be 1-200 letters, digits or . _ : -` };
  }
  if (fields.endpoint_id !== undefined) {
    if (!isId(fields.endpoint_id))
      return { poison: `endpoint id "${excerpt(fields.endpoint_id)}" is not an endpoint id (a UUID)` };
    fields.endpoint_id = fields.endpoint_id.toLowerCase();
  }
  if (fields.endpoint_id !== undefined && fields.owner_id !== undefined) {
    return { poison: 'the message names both an endpoint id and an owner id; give one or neither' };
  }
  if (fields.owner_id !== undefined && fields.owner_id.length > MAX_ID_LENGTH) {
    return { poison: `owner id is longer than ${MAX_ID_LENGTH} characters` };
  }
  // A long key (a whole document id path, say) still deduplicates: by its digest, as HTTP sources do.
  if (fields.idempotency_key !== undefined && fields.idempotency_key.length > MAX_ID_LENGTH) {
    fields.idempotency_key = `sha256:${createHash('sha256').update(fields.idempotency_key).digest('hex')}`;
  }

  const data = mapping.data_path ? valueAtPath(body, mapping.data_path) : body;
  if (!isPlainObject(data)) {
    const where = mapping.data_path ? `the value at data_path "${mapping.data_path}"` : 'the body';
    return { poison: `${where} must be a JSON object to be the event's data (got ${typeName(data)})` };
  }

  const headers = customHeaders(body, mapping, message.attributes);
  if ('poison' in headers) return headers;

  const event: MappedEvent = { event_type: fields.event_type, data };
  if (fields.endpoint_id !== undefined) event.endpoint_id = fields.endpoint_id;
  if (fields.owner_id !== undefined) event.owner_id = fields.owner_id;
  if (fields.idempotency_key !== undefined) event.idempotency_key = fields.idempotency_key;
  if (Object.keys(headers.headers).length > 0) event.custom_headers = headers.headers;
  return { event };
}

/** Header names and values are checked again by event ingestion, which knows which headers Caravan reserves. */
function customHeaders(
  body: unknown,
  mapping: MessageMapping,
  attributes: Record<string, string>,
): { headers: Record<string, string> } | { poison: string } {
  const headers: Record<string, string> = {};
  if (mapping.custom_headers_path) {
    const fromBody = valueAtPath(body, mapping.custom_headers_path);
    if (fromBody !== undefined && fromBody !== null) {
      if (!isPlainObject(fromBody) || !Object.values(fromBody).every((value) => typeof value === 'string')) {
        return {
          poison: `the value at custom_headers_path "${mapping.custom_headers_path}" must be an object of header names to strings`,
        };
      }
      Object.assign(headers, fromBody);
    }
  }
  for (const [name, value] of Object.entries(attributes)) {
    if (name.toLowerCase().startsWith(MAPPING_ATTRIBUTES.customHeaderPrefix)) headers[name] = value;
  }
  return { headers };
}

function normalizeAttributes(attributes: Record<string, string>): Map<string, string> {
  const normalized = new Map<string, string>();
  for (const [name, value] of Object.entries(attributes))
    normalized.set(name.toLowerCase().replace(/-/g, '_'), value);
  return normalized;
}

/** Follows a dotted path; numeric segments index arrays. Undefined when any step is missing. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function excerpt(value: string): string {
  return value.length > MAX_REASON_EXCERPT ? `${value.slice(0, MAX_REASON_EXCERPT)}…` : value;
}
