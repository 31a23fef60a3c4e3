import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { listParameter } from '@caravan/common';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsOptional, Matches } from 'class-validator';
import { EVENT_TYPE_NAME, EVENT_TYPE_NAME_RULE } from './event-type-name';

const MAX_EVENT_TYPES = 20;

/** The `event_type` filter of a list: one type or several (any of them), comma-separated or repeated. */
export function EventTypesQuery(description: string, example: string[]): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ type: [String], description, example }),
    IsOptional(),
    Transform(({ value }) => listParameter(value)),
    IsArray({ message: 'event_type must be event types, comma-separated' }),
    ArrayMaxSize(MAX_EVENT_TYPES, { message: `event_type must hold at most ${MAX_EVENT_TYPES} event types` }),
    Matches(EVENT_TYPE_NAME, { each: true, message: `event_type must be ${EVENT_TYPE_NAME_RULE}` }),
  );
}
