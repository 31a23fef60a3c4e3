import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PageQueryDto } from '@caravan/common';
import { META_EVENT_TYPES, MetaEventType } from '@caravan/projects';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional } from 'class-validator';
import type { MetaEventAttempt } from '../entities/meta-event-attempt.entity';
import { META_EVENT_STATUSES, MetaEvent, MetaEventStatus } from '../entities/meta-event.entity';

export class ListMetaEventsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'One status or several, comma-separated.', example: 'retry,failure' })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.split(',').map((s) => s.trim()) : value))
  @IsIn(META_EVENT_STATUSES, { each: true, message: `status must be one of ${META_EVENT_STATUSES.join(', ')}` })
  status?: MetaEventStatus[];

  @ApiPropertyOptional({ enum: META_EVENT_TYPES })
  @IsOptional()
  @IsIn(META_EVENT_TYPES, { message: `event_type must be one of ${META_EVENT_TYPES.join(', ')}` })
  event_type?: MetaEventType;
}

export class MetaEventPayload {
  @ApiProperty({ enum: META_EVENT_TYPES }) event_type: MetaEventType;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The endpoint, or the delivery, the event is about.' })
  data: Record<string, unknown>;
}

export class MetaEventResponse {
  @ApiProperty() id: string;
  @ApiProperty() project_id: string;
  @ApiProperty({ enum: META_EVENT_TYPES }) event_type: MetaEventType;
  @ApiProperty({ type: MetaEventPayload, description: 'The JSON body sent to the meta endpoint.' }) payload: MetaEventPayload;
  @ApiProperty({ enum: META_EVENT_STATUSES }) status: MetaEventStatus;
  @ApiProperty() attempt_count: number;
  @ApiProperty({ nullable: true, type: String, description: 'When the next attempt is due (scheduled or retry).' })
  next_attempt_at: string | null;
  @ApiProperty({ nullable: true, type: Number }) last_status_code: number | null;
  @ApiProperty({ nullable: true, type: String }) last_error: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class MetaEventAttemptRequest {
  @ApiProperty() url: string;
  @ApiProperty() method: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) headers: Record<string, string>;
}

export class MetaEventAttemptResponseData {
  @ApiProperty() status_code: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) headers: Record<string, string>;
  @ApiProperty({ description: 'Capped at CARAVAN_RESPONSE_BODY_LIMIT_BYTES.' }) body: string;
}

export class MetaEventAttemptResponse {
  @ApiProperty() id: string;
  @ApiProperty() meta_event_id: string;
  @ApiProperty() attempt_number: number;
  @ApiProperty({ type: MetaEventAttemptRequest }) request: MetaEventAttemptRequest;
  @ApiProperty({ type: MetaEventAttemptResponseData, nullable: true }) response: MetaEventAttemptResponseData | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty() duration_ms: number;
  @ApiProperty() created_at: string;
}

export class MetaEventWithAttemptsResponse extends MetaEventResponse {
  @ApiProperty({ type: [MetaEventAttemptResponse] }) attempts: MetaEventAttemptResponse[];
}

export function presentMetaEvent(metaEvent: MetaEvent): MetaEventResponse {
  const pending = metaEvent.status === 'scheduled' || metaEvent.status === 'retry';
  return {
    id: metaEvent.id,
    project_id: metaEvent.projectId,
    event_type: metaEvent.eventType,
    payload: JSON.parse(metaEvent.payload) as MetaEventPayload,
    status: metaEvent.status,
    attempt_count: metaEvent.attemptCount,
    next_attempt_at: pending ? metaEvent.nextAttemptAt.toISOString() : null,
    last_status_code: metaEvent.lastStatusCode,
    last_error: metaEvent.lastError,
    created_at: metaEvent.createdAt.toISOString(),
    updated_at: metaEvent.updatedAt.toISOString(),
  };
}

export function presentMetaEventAttempt(attempt: MetaEventAttempt): MetaEventAttemptResponse {
  return {
    id: attempt.id,
    meta_event_id: attempt.metaEventId,
    attempt_number: attempt.attemptNumber,
    request: { url: attempt.requestUrl, method: attempt.requestMethod, headers: attempt.requestHeaders },
    response:
      attempt.responseStatusCode === null
        ? null
        : { status_code: attempt.responseStatusCode, headers: attempt.responseHeaders ?? {}, body: attempt.responseBody ?? '' },
    error: attempt.error,
    duration_ms: attempt.durationMs,
    created_at: attempt.createdAt.toISOString(),
  };
}
