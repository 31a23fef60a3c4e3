import { applyDecorators, Type } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProperty,
  ApiPropertyOptional,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';

export class ErrorResponse {
  @ApiProperty({ example: 400 }) status: number;
  @ApiProperty({ example: 'Bad Request' }) error: string;
  @ApiProperty({ example: 'url must be an http(s) URL' }) message: string;
  @ApiPropertyOptional({ example: 'url', description: 'The request field at fault, when there is one.' }) field?: string;
}

/** A list answer: `{ data: [...], next_cursor }`, newest first. */
export function ApiPage(model: Type<unknown>) {
  return applyDecorators(
    ApiExtraModels(model),
    ApiOkResponse({
      schema: {
        type: 'object',
        required: ['data', 'next_cursor'],
        properties: {
          data: { type: 'array', items: { $ref: getSchemaPath(model) } },
          next_cursor: { type: 'string', nullable: true, description: 'Pass as ?cursor= for the next page; null on the last.' },
        },
      },
    }),
  );
}

/** The errors every authenticated route can answer. */
export function ApiStandardErrors() {
  return applyDecorators(
    ApiExtraModels(ErrorResponse),
    ApiBadRequestResponse({ type: ErrorResponse, description: 'Invalid input; `field` names it.' }),
    ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Missing or invalid API key.' }),
    ApiNotFoundResponse({ type: ErrorResponse, description: "Unknown id, or another project's." }),
  );
}
