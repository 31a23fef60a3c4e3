import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { InvalidInputError } from '../errors/domain-errors';
import { isId } from '../ids/id';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'The next_cursor of the previous page.' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;
}

/** What a repository needs to read one page, newest first. */
export interface PageRequest {
  limit: number;
  /** Only rows with an id below this one (ids are time-ordered). */
  beforeId?: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

export function toPageRequest(query: { limit?: number; cursor?: string }): PageRequest {
  return { limit: query.limit ?? DEFAULT_PAGE_SIZE, beforeId: decodeCursor(query.cursor) };
}

/** Rows must have been fetched with `limit + 1` so we know whether another page exists. */
export function toPage<Row extends { id: string }, Out>(
  rows: Row[],
  request: PageRequest,
  present: (row: Row) => Out,
): Page<Out> {
  const hasMore = rows.length > request.limit;
  const pageRows = hasMore ? rows.slice(0, request.limit) : rows;
  return {
    data: pageRows.map(present),
    next_cursor: hasMore ? encodeCursor(pageRows[pageRows.length - 1].id) : null,
  };
}

function encodeCursor(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!isId(id)) throw new InvalidInputError('cursor is not a cursor this API returned', 'cursor');
  return id;
}
