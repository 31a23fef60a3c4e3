import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CreatedAfterQuery, CreatedBeforeQuery, OpaqueJson, PageQueryDto, WithoutNul } from '@caravan/common';
import { EVENT_TYPE_NAME, EVENT_TYPE_NAME_RULE, EventTypesQuery } from '@caravan/event-types';
import { Transform } from 'class-transformer';
import {
  IsDefined,
  IsNotEmpty,
  IsNotEmptyObject,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateBy,
} from 'class-validator';
import type { Event } from '../entities/event.entity';
import type { EventFilter } from '../repositories/event-filter';

export class CreateEventDto {
  @ApiProperty({ example: 'invoice.paid' })
  @IsString()
  @Matches(EVENT_TYPE_NAME, { message: `event_type must be ${EVENT_TYPE_NAME_RULE}` })
  event_type: string;

  @ApiProperty({ description: 'A JSON object; sent as the webhook body.', example: { invoice_id: 'inv_1' } })
  @IsDefined()
  @IsObject({ message: 'data must be a JSON object' })
  @OpaqueJson()
  data: unknown;

  @ApiPropertyOptional({ description: 'Send to this endpoint only (no subscription needed).' })
  @IsOptional()
  @IsUUID('all', { message: 'endpoint_id must be an endpoint id' })
  endpoint_id?: string;

  @ApiPropertyOptional({ description: "Send to this owner's endpoints whose subscriptions match." })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  owner_id?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { 'X-Tenant': 'acme' } })
  @IsOptional()
  @IsObject()
  custom_headers?: Record<string, string>;

  @ApiPropertyOptional({ description: 'A repeat within the project returns the first event (200).' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  idempotency_key?: string;
}

const MAX_DATA_FILTER_LENGTH = 2000;

/**
 * `?data=`: URL-encoded JSON, parsed here so the validator sees an object; text that is not JSON
 * is passed on as it is, for @IsObject to refuse with the field's name.
 */
function parseJsonParameter({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string' || value.length > MAX_DATA_FILTER_LENGTH) return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * Whether PostgreSQL's jsonb can hold the value exactly as JavaScript read it: jsonb refuses
 * `\u0000` and lone surrogates in strings and keys, and JSON numbers JavaScript reads as infinite
 * would not survive JSON.stringify.
 */
export function isJsonbCompatible(value: unknown): boolean {
  if (typeof value === 'string') return !value.includes('\u0000') && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(value);
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonbCompatible);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).every(([key, item]) => isJsonbCompatible(key) && isJsonbCompatible(item));
  }
  return true;
}

export class ListEventsQueryDto extends PageQueryDto {
  @EventTypesQuery('One event type or several (any of them), comma-separated or repeated.', ['invoice.paid', 'invoice.voided'])
  event_type?: string[];

  @ApiPropertyOptional({ description: 'Events addressed to this endpoint or that have a delivery to it.' })
  @IsOptional()
  @IsUUID('all', { message: 'endpoint_id must be an endpoint id' })
  endpoint_id?: string;

  @ApiPropertyOptional({ description: 'Events sent to this owner (their owner_id).' })
  @IsOptional()
  @IsString({ message: 'owner_id must be a string' })
  @MaxLength(200)
  @WithoutNul()
  owner_id?: string;

  @ApiPropertyOptional({ description: 'Events received through this source.' })
  @IsOptional()
  @IsUUID('all', { message: 'source_id must be a source id' })
  source_id?: string;

  @ApiPropertyOptional({ description: 'The event sent with this idempotency key.' })
  @IsOptional()
  @IsString({ message: 'idempotency_key must be a string' })
  @MaxLength(200)
  @WithoutNul()
  idempotency_key?: string;

  @CreatedAfterQuery('events')
  created_after?: string;

  @CreatedBeforeQuery('events')
  created_before?: string;

  @ApiPropertyOptional({
    description:
      "Full text over the payload's string and number values (not its keys): every word must appear, case-insensitive, " +
      'whole words only; "quoted words" must appear together in that order, -word must not appear, OR between alternatives.',
    example: 'cus_42 "order shipped"',
  })
  @IsOptional()
  @IsString({ message: 'q must be a string' })
  @MaxLength(500)
  @Matches(/[\p{L}\p{N}]/u, { message: 'q must contain at least one letter or digit' })
  @WithoutNul()
  q?: string;

  @ApiPropertyOptional({
    type: String,
    description: "URL-encoded JSON object the event's data must contain (JSON containment: objects match by their listed fields, arrays by their listed elements).",
    example: '{"customer":{"id":"cus_42"}}',
  })
  @IsOptional()
  @Transform(parseJsonParameter)
  @IsObject({ message: `data must be a JSON object of at most ${MAX_DATA_FILTER_LENGTH} characters, URL-encoded` })
  @IsNotEmptyObject({}, { message: 'data must name at least one field' })
  @ValidateBy({
    name: 'isJsonbCompatible',
    validator: {
      validate: (value) => isJsonbCompatible(value),
      defaultMessage: () => 'data cannot contain \\u0000, lone surrogates or numbers out of range',
    },
  })
  data?: Record<string, unknown>;
}

/** What a search asks for, as the repository reads it. */
export function toEventFilter(query: ListEventsQueryDto): EventFilter {
  return {
    eventTypes: query.event_type?.length ? query.event_type : undefined,
    endpointId: query.endpoint_id,
    ownerId: query.owner_id,
    sourceId: query.source_id,
    idempotencyKey: query.idempotency_key,
    createdAfter: query.created_after ? new Date(query.created_after) : undefined,
    createdBefore: query.created_before ? new Date(query.created_before) : undefined,
    text: query.q,
    dataContains: query.data === undefined ? undefined : JSON.stringify(query.data),
  };
}

export class EventResponse {
  @ApiProperty() id: string;
  @ApiProperty() project_id: string;
  @ApiProperty() event_type: string;
  @ApiProperty({ description: 'The JSON sent as the webhook body.' }) data: unknown;
  @ApiProperty({ nullable: true, type: String }) endpoint_id: string | null;
  @ApiProperty({ nullable: true, type: String }) owner_id: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: { type: 'string' } })
  custom_headers: Record<string, string> | null;
  @ApiProperty({ nullable: true, type: String, description: 'The source that received it; null for events sent through this API.' })
  source_id: string | null;
  @ApiProperty({ nullable: true, type: String }) idempotency_key: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'When deliveries were created for it.' })
  routed_at: string | null;
  @ApiProperty() created_at: string;
}

export function presentEvent(event: Event): EventResponse {
  return {
    id: event.id,
    project_id: event.projectId,
    event_type: event.eventType,
    data: JSON.parse(event.payload),
    endpoint_id: event.endpointId,
    owner_id: event.ownerId,
    custom_headers: event.customHeaders,
    source_id: event.sourceId,
    idempotency_key: event.idempotencyKey,
    routed_at: event.routedAt?.toISOString() ?? null,
    created_at: event.createdAt.toISOString(),
  };
}
