import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional } from 'class-validator';

/** Set on @ValidateNested too: its own message ("nested property ...") would otherwise win. */
export const FILTER_SHAPE_MESSAGE = 'filter must be an object with body and/or headers filters';

const FILTER_LANGUAGE =
  'Keys are dotted paths ("customer.tier", "items.sku") or $or / $and (arrays of filters); a value is ' +
  'a literal to equal or an object of operators: $eq $neq $gt $gte $lt $lte $in $nin $exist $regex. ' +
  'Every key must hold; a path through an array holds when any element does. {} matches everything.';

/**
 * Only the shape is checked here; the filter language is checked by compiling it in the use case,
 * which names the bad part (`filter.body.amount.$gtx`).
 */
export class SubscriptionFilterDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description: `Filter on the event's data. ${FILTER_LANGUAGE}`,
    example: { amount: { $gte: 100 }, 'customer.tier': { $in: ['gold', 'platinum'] } },
  })
  @IsOptional()
  @IsObject({ message: 'filter.body must be a JSON object' })
  body?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      "Filter on the event's custom_headers; each key is a header name, matched case-insensitively.",
    example: { 'X-Tenant': { $in: ['acme', 'globex'] } },
  })
  @IsOptional()
  @IsObject({ message: 'filter.headers must be a JSON object' })
  headers?: Record<string, unknown>;
}
