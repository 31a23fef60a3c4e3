import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { PageQueryDto } from '@caravan/common';
import { IsBoolean, IsObject, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { EventType, JsonSchemaObject } from '../entities/event-type.entity';
import { EVENT_TYPE_NAME, EVENT_TYPE_NAME_RULE } from '../event-type-name';

export const MAX_DESCRIPTION_LENGTH = 2000;
export const MAX_CATEGORY_LENGTH = 200;

const SCHEMA_DESCRIPTION =
  'A JSON Schema (2020-12, or draft-07 when `$schema` says so) for the `data` of events of this type; ' +
  'events that break it are refused with 400 naming the path. null: events of this type are not checked. ' +
  'At most 64 KiB and 32 levels deep; unknown keywords and formats are refused; `$ref` must resolve inside the schema.';

export class CreateEventTypeDto {
  @ApiProperty({ example: 'invoice.paid', description: `${EVENT_TYPE_NAME_RULE}; the same rule as an event's event_type.` })
  @IsString()
  @Matches(EVENT_TYPE_NAME, { message: `name must be ${EVENT_TYPE_NAME_RULE}` })
  name: string;

  @ApiPropertyOptional({ default: '', example: 'An invoice was paid in full.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_DESCRIPTION_LENGTH)
  description?: string;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'billing', description: 'Groups event types in the catalogue.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CATEGORY_LENGTH)
  category?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: 'object',
    additionalProperties: true,
    description: SCHEMA_DESCRIPTION,
    example: { type: 'object', required: ['invoice_id', 'amount'], properties: { invoice_id: { type: 'string' }, amount: { type: 'integer', minimum: 0 } } },
  })
  @IsOptional()
  @IsObject({ message: 'schema must be a JSON Schema object or null' })
  schema?: JsonSchemaObject | null;

  @ApiPropertyOptional({ default: false, description: 'Documentation only: events of a deprecated type are still accepted.' })
  @IsOptional()
  @IsBoolean()
  deprecated?: boolean;
}

/** Everything but the name, which is the type's identity. null clears category and schema. */
export class UpdateEventTypeDto extends PartialType(OmitType(CreateEventTypeDto, ['name'] as const)) {}

export class ListEventTypesQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Only the event types of this category.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CATEGORY_LENGTH)
  category?: string;
}

export class EventTypeResponse {
  @ApiProperty() project_id: string;
  @ApiProperty({ example: 'invoice.paid' }) name: string;
  @ApiProperty() description: string;
  @ApiProperty({ nullable: true, type: String }) category: string | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true, description: 'As registered.' })
  schema: JsonSchemaObject | null;
  @ApiProperty() deprecated: boolean;
  @ApiProperty() created_at: string;
  @ApiProperty() updated_at: string;
}

export function presentEventType(eventType: EventType): EventTypeResponse {
  return {
    project_id: eventType.projectId,
    name: eventType.name,
    description: eventType.description,
    category: eventType.category,
    schema: eventType.schema,
    deprecated: eventType.deprecated,
    created_at: eventType.createdAt.toISOString(),
    updated_at: eventType.updatedAt.toISOString(),
  };
}
