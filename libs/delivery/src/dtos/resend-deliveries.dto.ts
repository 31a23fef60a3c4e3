import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CreatedAfterQuery, CreatedBeforeQuery, InvalidInputError } from '@caravan/common';
import { EVENT_TYPE_NAME, EVENT_TYPE_NAME_RULE } from '@caravan/event-types';
import type { BatchRetryFilter } from '@caravan/queue';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
} from 'class-validator';
import { DeliverySelection, RESENDABLE_STATUSES, ResendableStatus } from '../repositories/delivery-selection';

export const MAX_FORCE_RESEND_IDS = 100;

export class ForceResendDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: MAX_FORCE_RESEND_IDS, description: 'Delivery ids.' })
  @IsArray({ message: 'ids must be a list of delivery ids' })
  @ArrayMinSize(1, { message: 'ids must hold at least one delivery id' })
  @ArrayMaxSize(MAX_FORCE_RESEND_IDS, {
    message: `ids must hold at most ${MAX_FORCE_RESEND_IDS} delivery ids`,
  })
  @IsUUID('all', { each: true, message: 'ids must be a list of delivery ids' })
  ids: string[];
}

export class ForceResendResponse {
  @ApiProperty({ description: 'Deliveries made due now and queued.' }) queued: number;
  @ApiProperty({
    type: [String],
    description: 'Ids not found in this project, or with an attempt in flight.',
  })
  skipped: string[];
}

/** Which deliveries a batch retry resends. With `success` in `status`, it sends successful ones again too. */
export class BatchRetryFilterDto {
  @ApiPropertyOptional({
    enum: RESENDABLE_STATUSES,
    isArray: true,
    default: ['failure'],
    description: 'Statuses to resend; `processing` never is.',
  })
  @IsOptional()
  @IsArray({ message: 'status must be a list of statuses' })
  @ArrayMinSize(1, { message: 'status must hold at least one status' })
  @IsIn(RESENDABLE_STATUSES, {
    each: true,
    message: `status must hold only ${RESENDABLE_STATUSES.join(', ')}`,
  })
  status?: ResendableStatus[];

  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'endpoint_id must be an endpoint id' })
  endpoint_id?: string;

  @ApiPropertyOptional({ description: 'Exact event type.', example: 'invoice.paid' })
  @IsOptional()
  @IsString()
  @Matches(EVENT_TYPE_NAME, { message: `event_type must be ${EVENT_TYPE_NAME_RULE}` })
  event_type?: string;

  @CreatedAfterQuery('deliveries')
  created_after?: string;

  @CreatedBeforeQuery('deliveries')
  created_before?: string;
}

export class BatchRetryCountResponse {
  @ApiProperty({ description: 'Deliveries the batch retry would resend now.' }) count: number;
}

export class BatchRetryStartedResponse {
  @ApiProperty() batch_id: string;
  @ApiProperty({ description: 'Deliveries selected when the batch was accepted.' }) count: number;
}

export class ReplayEventResponse {
  @ApiProperty() event_id: string;
  @ApiProperty({
    description: 'Deliveries of the event made due now and queued (0 while it waits to be routed).',
  })
  queued: number;
}

/** The filter as it travels in a job: plain JSON, defaults applied, checked as a whole. */
export function toBatchRetryFilter(dto: BatchRetryFilterDto): BatchRetryFilter {
  if (
    dto.created_after &&
    dto.created_before &&
    new Date(dto.created_after) >= new Date(dto.created_before)
  ) {
    throw new InvalidInputError('created_before must be later than created_after', 'created_before');
  }
  return {
    status: [...new Set(dto.status ?? ['failure'])],
    endpointId: dto.endpoint_id,
    eventType: dto.event_type,
    createdAfter: dto.created_after,
    createdBefore: dto.created_before,
  };
}

export function selectionOf(filter: BatchRetryFilter): DeliverySelection {
  return {
    statuses: filter.status.filter((status): status is ResendableStatus =>
      (RESENDABLE_STATUSES as string[]).includes(status),
    ),
    endpointId: filter.endpointId,
    eventType: filter.eventType,
    createdAfter: filter.createdAfter ? new Date(filter.createdAfter) : undefined,
    createdBefore: filter.createdBefore ? new Date(filter.createdBefore) : undefined,
  };
}
