import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CreatedAfterQuery, CreatedBeforeQuery, listParameter, PageQueryDto, WithoutNul } from '@caravan/common';
import { EventTypesQuery } from '@caravan/event-types';
import { Transform } from 'class-transformer';
import { IsArray, IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { DeliveryAttempt } from '../entities/delivery-attempt.entity';
import { DELIVERY_STATUSES, DeliveryStatus, EventDelivery } from '../entities/event-delivery.entity';

export class ListDeliveriesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({
    type: [String],
    enum: DELIVERY_STATUSES,
    description: 'One status or several (any of them), comma-separated or repeated.',
    example: ['retry', 'failure'],
  })
  @IsOptional()
  @Transform(({ value }) => listParameter(value))
  @IsArray({ message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  @IsIn(DELIVERY_STATUSES, { each: true, message: `status must be one of ${DELIVERY_STATUSES.join(', ')}` })
  status?: DeliveryStatus[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'endpoint_id must be an endpoint id' })
  endpoint_id?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'event_id must be an event id' })
  event_id?: string;

  @EventTypesQuery('Deliveries of events of this type or these types, comma-separated or repeated.', ['invoice.paid'])
  event_type?: string[];

  @ApiPropertyOptional({ description: "Deliveries to this owner's endpoints (the endpoints' owner_id)." })
  @IsOptional()
  @IsString({ message: 'owner_id must be a string' })
  @MaxLength(200)
  @WithoutNul()
  owner_id?: string;

  @ApiPropertyOptional({ description: 'Deliveries of the event sent with this idempotency key.' })
  @IsOptional()
  @IsString({ message: 'idempotency_key must be a string' })
  @MaxLength(200)
  @WithoutNul()
  idempotency_key?: string;

  @CreatedAfterQuery('deliveries')
  created_after?: string;

  @CreatedBeforeQuery('deliveries')
  created_before?: string;
}

export class AttemptRequest {
  @ApiProperty() url: string;
  @ApiProperty() method: string;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) headers: Record<string, string>;
}

export class AttemptResponseData {
  @ApiProperty() status_code: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) headers: Record<string, string>;
  @ApiProperty({ description: 'Capped at CARAVAN_RESPONSE_BODY_LIMIT_BYTES.' }) body: string;
}

export class AttemptResponse {
  @ApiProperty() id: string;
  @ApiProperty() delivery_id: string;
  @ApiProperty() attempt_number: number;
  @ApiProperty({ type: AttemptRequest }) request: AttemptRequest;
  @ApiProperty({ type: AttemptResponseData, nullable: true }) response: AttemptResponseData | null;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty() duration_ms: number;
  @ApiProperty() created_at: string;
}

export class DeliveryResponse {
  @ApiProperty() id: string;
  @ApiProperty() project_id: string;
  @ApiProperty() event_id: string;
  @ApiProperty() endpoint_id: string;
  @ApiProperty({ nullable: true, type: String }) subscription_id: string | null;
  @ApiProperty({ enum: DELIVERY_STATUSES }) status: DeliveryStatus;
  @ApiProperty() attempt_count: number;
  @ApiProperty({ nullable: true, type: String, description: 'When the next attempt is due (scheduled or retry).' })
  next_attempt_at: string | null;
  @ApiProperty({ nullable: true, type: Number }) last_status_code: number | null;
  @ApiProperty({ nullable: true, type: String }) last_error: string | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export class DeliveryWithAttemptsResponse extends DeliveryResponse {
  @ApiProperty({ type: [AttemptResponse] }) attempts: AttemptResponse[];
}

export function presentDelivery(delivery: EventDelivery): DeliveryResponse {
  const pending = delivery.status === 'scheduled' || delivery.status === 'retry';
  return {
    id: delivery.id,
    project_id: delivery.projectId,
    event_id: delivery.eventId,
    endpoint_id: delivery.endpointId,
    subscription_id: delivery.subscriptionId,
    status: delivery.status,
    attempt_count: delivery.attemptCount,
    next_attempt_at: pending ? delivery.nextAttemptAt.toISOString() : null,
    last_status_code: delivery.lastStatusCode,
    last_error: delivery.lastError,
    created_at: delivery.createdAt.toISOString(),
    updated_at: delivery.updatedAt.toISOString(),
  };
}

export function presentAttempt(attempt: DeliveryAttempt): AttemptResponse {
  return {
    id: attempt.id,
    delivery_id: attempt.deliveryId,
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
