import { InvalidInputError, repeatsARepetition } from '@caravan/common';

export const MAX_REGEX_LENGTH = 500;

/**
 * Compiles a `$regex` operand. Filters run in the agent for every event of a project, so a
 * pattern that backtracks exponentially would stall routing for every tenant: besides the length
 * cap, patterns that repeat a group which itself repeats (`(a+)+`) are refused (see
 * repeatsARepetition in @caravan/common).
 */
export function compileRegex(pattern: unknown, field: string): RegExp {
  if (typeof pattern !== 'string') throw new InvalidInputError('$regex must be a string', field);
  if (pattern.length > MAX_REGEX_LENGTH) {
    throw new InvalidInputError(`$regex must be at most ${MAX_REGEX_LENGTH} characters`, field);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    throw new InvalidInputError(
      `$regex is not a valid regular expression: ${(error as Error).message}`,
      field,
    );
  }
  if (repeatsARepetition(pattern)) {
    throw new InvalidInputError(
      '$regex repeats a group that itself repeats (like "(a+)+"), which can take exponential time; simplify it',
      field,
    );
  }
  return regex;
}
