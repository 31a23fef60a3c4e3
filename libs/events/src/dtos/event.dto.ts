import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@caravan/common';
import { EVENT_TYPE_NAME, EVENT_TYPE_NAME_RULE } from '@caravan/event-types';
import {
  IsDateString,
  IsDefined,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
} from 'class-validator';
import type { Event } from '../entities/event.entity';

export class CreateEventDto {
  @ApiProperty({ example: 'invoice.paid' })
  @IsString()
  @Matches(EVENT_TYPE_NAME, { message: `event_type must be ${EVENT_TYPE_NAME_RULE}` })
  event_type: string;

  @ApiProperty({ description: 'A JSON object; sent as the webhook body.', example: { invoice_id: 'inv_1' } })
  @IsDefined()
  @IsObject({ message: 'data must be a JSON object' })
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

export class ListEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  event_type?: string;

  @ApiPropertyOptional({ description: 'RFC 3339; events created at or after.' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'created_after must be an RFC 3339 time' })
  created_after?: string;

  @ApiPropertyOptional({ description: 'RFC 3339; events created before.' })
  @IsOptional()
  @IsDateString({ strict: true }, { message: 'created_before must be an RFC 3339 time' })
  created_before?: string;
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
