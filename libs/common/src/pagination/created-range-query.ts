import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDateString, IsOptional } from 'class-validator';

/** The `created_after` filter of a list (inclusive); `what` names the listed things in the docs. */
export function CreatedAfterQuery(what: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: `RFC 3339; ${what} created at or after.` }),
    IsOptional(),
    IsDateString({ strict: true }, { message: 'created_after must be an RFC 3339 time' }),
  );
}

/** The `created_before` filter of a list (exclusive). */
export function CreatedBeforeQuery(what: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ description: `RFC 3339; ${what} created before.` }),
    IsOptional(),
    IsDateString({ strict: true }, { message: 'created_before must be an RFC 3339 time' }),
  );
}
