import { RetryConfig, RetryConfigDto } from '@caravan/common';
import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import type { Subscription } from '../entities/subscription.entity';
import type { SubscriptionFilter } from '../filters/subscription-filter';
import { FILTER_SHAPE_MESSAGE, SubscriptionFilterDto } from './subscription-filter.dto';

const EVENT_TYPE_PATTERN = /^[A-Za-z0-9_.:*-]{1,200}$/;
const EVENT_TYPE_MESSAGE = { each: true, message: 'event_types must be event types or patterns such as "invoice.*" or "*"' };

export class CreateSubscriptionDto {
  @ApiProperty()
  @IsUUID('all', { message: 'endpoint_id must be an endpoint id' })
  endpoint_id: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    nullable: true,
    description: "A source of the project: the subscription then routes that source's events only. Without it, only events sent through the API.",
  })
  @IsOptional()
  @IsUUID('all', { message: 'source_id must be a source id' })
  source_id?: string | null;

  @ApiPropertyOptional({ type: [String], example: ['invoice.*'], default: ['*'] })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @Matches(EVENT_TYPE_PATTERN, EVENT_TYPE_MESSAGE)
  event_types?: string[];

  @ApiPropertyOptional({
    type: SubscriptionFilterDto,
    nullable: true,
    description: 'Only events that pass it are sent. Absent or null: every event of the types; on update, null clears it.',
  })
  @IsOptional()
  @IsObject({ message: FILTER_SHAPE_MESSAGE })
  @ValidateNested({ message: FILTER_SHAPE_MESSAGE })
  @Type(() => SubscriptionFilterDto)
  filter?: SubscriptionFilterDto | null;

  @ApiPropertyOptional({ type: RetryConfigDto, nullable: true, description: "Overrides the endpoint's and project's retry settings." })
  @IsOptional()
  @ValidateNested()
  @Type(() => RetryConfigDto)
  retry?: RetryConfigDto | null;
}

/** Name, source, event types, filter and retry; the endpoint is fixed at creation. null clears source_id. */
export class UpdateSubscriptionDto extends PartialType(OmitType(CreateSubscriptionDto, ['endpoint_id'] as const)) {}

export class SubscriptionResponse {
  @ApiProperty() id: string;
  @ApiProperty() project_id: string;
  @ApiProperty() endpoint_id: string;
  @ApiProperty() name: string;
  @ApiProperty({ nullable: true, type: String }) source_id: string | null;
  @ApiProperty({ type: [String] }) event_types: string[];
  @ApiProperty({ type: RetryConfigDto, nullable: true }) retry: Partial<RetryConfig> | null;
  @ApiProperty({ type: SubscriptionFilterDto, nullable: true }) filter: SubscriptionFilter | null;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export function presentSubscription(subscription: Subscription): SubscriptionResponse {
  return {
    id: subscription.id,
    project_id: subscription.projectId,
    endpoint_id: subscription.endpointId,
    name: subscription.name,
    source_id: subscription.sourceId ?? null,
    event_types: subscription.eventTypes,
    filter: subscription.filter ?? null,
    retry: subscription.retry ?? null,
    created_at: subscription.createdAt.toISOString(),
    updated_at: subscription.updatedAt.toISOString(),
  };
}
