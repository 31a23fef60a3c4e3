import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, IsObject, IsOptional, ValidateNested } from 'class-validator';
import { FILTER_SHAPE_MESSAGE, SubscriptionFilterDto } from './subscription-filter.dto';

const PAYLOAD_SHAPE_MESSAGE = 'payload must be an object with body and/or headers';

export class FilterPayloadDto {
  @ApiPropertyOptional({ description: "An event's data, as it would be sent.", example: { amount: 150 } })
  @Allow()
  body?: unknown;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { 'X-Tenant': 'acme' },
  })
  @IsOptional()
  @IsObject({ message: 'payload.headers must be an object of header names to values' })
  headers?: Record<string, unknown>;
}

export class TestFilterDto {
  @ApiProperty({ type: SubscriptionFilterDto })
  @IsObject({ message: FILTER_SHAPE_MESSAGE })
  @ValidateNested({ message: FILTER_SHAPE_MESSAGE })
  @Type(() => SubscriptionFilterDto)
  filter: SubscriptionFilterDto;

  @ApiProperty({ type: FilterPayloadDto, description: 'The event to test the filter on.' })
  @IsObject({ message: PAYLOAD_SHAPE_MESSAGE })
  @ValidateNested({ message: PAYLOAD_SHAPE_MESSAGE })
  @Type(() => FilterPayloadDto)
  payload: FilterPayloadDto;
}

export class TestFilterResponse {
  @ApiProperty({ description: 'Whether an event with this payload passes the filter.' }) matches: boolean;
}
