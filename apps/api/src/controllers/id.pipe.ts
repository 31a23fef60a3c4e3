import { Injectable, PipeTransform } from '@nestjs/common';
import { InvalidInputError, isId } from '@caravan/common';

/** Path ids are checked before they reach a query, so a malformed one is a 400, not a database error. */
@Injectable()
export class IdPipe implements PipeTransform<string, string> {
  constructor(private readonly field: string) {}

  transform(value: string): string {
    if (!isId(value)) throw new InvalidInputError(`${this.field} must be an id`, this.field);
    return value;
  }
}

export const API_PREFIX = 'api/v1';
