import { createHash } from 'node:crypto';
import { isId } from '@caravan/common';
import { EVENT_TYPE_NAME } from '@caravan/event-types';
import type { WebhookHeaders } from '@caravan/signatures';
import type { SourceMapping, VerifierType } from '../entities/source.entity';
import { readHeader } from '../verifiers/incoming-request';
import { valueAtPath } from './json-path';

/** The rules of the events API (CreateEventDto), so an event from a source is like any other. */
const MAX_ID_LENGTH = 200;

/** Where a provider preset finds the event type when no event_type_path says otherwise. */
const PRESET_EVENT_TYPES: Partial<Record<VerifierType, { header: string } | { bodyPath: string }>> = {
  github: { header: 'X-GitHub-Event' },
  shopify: { header: 'X-Shopify-Topic' },
  stripe: { bodyPath: 'type' },
  'standard-webhooks': { bodyPath: 'type' },
};

export interface WebhookSourceSettings {
  name: string;
  verifierType: VerifierType;
  mapping: SourceMapping | null;
  idempotencyHeader: string | null;
}

export interface WebhookEvent {
  eventType: string;
  /** The event's data as JSON text: a JSON object body exactly as received, else `{"raw": "<body>"}`. */
  payload: string;
  data: Record<string, unknown>;
  endpointId?: string;
  ownerId?: string;
  idempotencyKey?: string;
}

export type WebhookEventResult = { ok: true; event: WebhookEvent } | { ok: false; reason: string };

/**
 * Turns a verified request into an event's fields.
 * - data: a body that is a JSON object is kept byte for byte (big numbers and key order survive);
 *   any other body (form, text, a JSON array or scalar) becomes `{"raw": "<body as text>"}`.
 *   A body that is not UTF-8 is refused.
 * - event type: the value at mapping.event_type_path; else the provider's (GitHub's X-GitHub-Event,
 *   Shopify's X-Shopify-Topic with "/" read as ".", the body's `type` for Stripe and Standard
 *   Webhooks); else the source name. A value that is not a valid event type is passed over.
 * - endpoint and owner ids from their paths, when present; a present but invalid one is refused.
 * - idempotency key: the idempotency header's value, else the value at idempotency_key_path.
 */
export function webhookEvent(
  source: WebhookSourceSettings,
  body: Uint8Array,
  headers: WebhookHeaders,
): WebhookEventResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(body);
  } catch {
    return { ok: false, reason: 'the body is not UTF-8 text' };
  }
  const json = parseJsonObject(text);
  const data = json ?? { raw: text };
  const payload = json ? text : JSON.stringify(data);
  const mapping = source.mapping ?? {};

  const event: WebhookEvent = { eventType: eventTypeOf(source, data, headers), payload, data };

  const endpointId = mappedString(data, mapping.endpoint_id_path);
  if (endpointId !== undefined) {
    if (!isId(endpointId))
      return {
        ok: false,
        reason: `the value at endpoint_id_path "${mapping.endpoint_id_path}" is not an endpoint id`,
      };
    event.endpointId = endpointId.toLowerCase();
  }
  const ownerId = mappedString(data, mapping.owner_id_path);
  if (ownerId !== undefined) {
    if (ownerId.length > MAX_ID_LENGTH)
      return {
        ok: false,
        reason: `the value at owner_id_path "${mapping.owner_id_path}" is longer than ${MAX_ID_LENGTH} characters`,
      };
    event.ownerId = ownerId;
  }
  if (event.endpointId && event.ownerId)
    return { ok: false, reason: 'the body names both an endpoint id and an owner id; give one or neither' };

  const fromHeader = source.idempotencyHeader ? readHeader(headers, source.idempotencyHeader) : undefined;
  const key = fromHeader?.ok ? fromHeader.value : mappedString(data, mapping.idempotency_key_path);
  if (key !== undefined)
    event.idempotencyKey =
      key.length > MAX_ID_LENGTH ? `sha256:${createHash('sha256').update(key).digest('hex')}` : key;
  return { ok: true, event };
}

function parseJsonObject(text: string): Record<string, unknown> | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function eventTypeOf(
  source: WebhookSourceSettings,
  data: Record<string, unknown>,
  headers: WebhookHeaders,
): string {
  const preset = PRESET_EVENT_TYPES[source.verifierType];
  const candidates = [
    mappedString(data, source.mapping?.event_type_path),
    preset && 'header' in preset ? headerValue(headers, preset.header)?.replace(/\//g, '.') : undefined,
    preset && 'bodyPath' in preset ? mappedString(data, preset.bodyPath) : undefined,
  ];
  return (
    candidates.find((candidate) => candidate !== undefined && EVENT_TYPE_NAME.test(candidate)) ??
    eventTypeFromName(source.name)
  );
}

/** A source name as an event type: runs of other characters become "-". */
export function eventTypeFromName(name: string): string {
  return (
    name
      .replace(/[^A-Za-z0-9_.:]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 200) || 'webhook'
  );
}

/** A string or finite number at the path, as text; undefined when absent, empty or of another type. */
function mappedString(data: unknown, path: string | undefined): string | undefined {
  if (!path) return undefined;
  const value = valueAtPath(data, path);
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const value = readHeader(headers, name);
  return value.ok ? value.value : undefined;
}
