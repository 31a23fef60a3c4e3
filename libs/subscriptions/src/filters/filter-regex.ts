import { InvalidInputError } from '@caravan/common';

export const MAX_REGEX_LENGTH = 500;

/**
 * Compiles a `$regex` operand. Filters run in the agent for every event of a project, so a
 * pattern that backtracks exponentially would stall routing for every tenant: besides the length
 * cap, patterns that repeat a group which itself repeats (`(a+)+`, `(x*y*)*`) are refused, the
 * "star height" rule of the safe-regex checkers. Overlapping alternations such as `(a|a)*` are
 * not caught; the length cap bounds what they can cost.
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

const BRACE_QUANTIFIER = /^\{\d+(,\d*)?\}/;

/** True when a repeated group contains a repetition. Assumes the pattern compiled. */
function repeatsARepetition(pattern: string): boolean {
  // One frame per open group: whether something inside it repeats.
  const groups: boolean[] = [false];
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i];
    if (char === '\\') {
      i += 2;
    } else if (char === '[') {
      i = endOfClass(pattern, i + 1);
    } else if (char === '(') {
      groups.push(false);
      i = afterGroupPrefix(pattern, i + 1);
    } else if (char === ')') {
      const inner = groups.pop() ?? false;
      const repeated = quantifierLength(pattern, i + 1);
      if (repeated > 0 && inner) return true;
      groups[groups.length - 1] ||= inner || repeated > 0;
      i += 1 + repeated;
    } else {
      const repeated = quantifierLength(pattern, i);
      if (repeated > 0) groups[groups.length - 1] = true;
      i += Math.max(1, repeated);
    }
  }
  return false;
}

/** Length of an unbounded or counted quantifier (`*`, `+`, `{2,}`, `{1,5}`) at `at`, with its lazy `?`. */
function quantifierLength(pattern: string, at: number): number {
  let length = 0;
  if (pattern[at] === '*' || pattern[at] === '+') length = 1;
  else if (pattern[at] === '{') length = BRACE_QUANTIFIER.exec(pattern.slice(at))?.[0].length ?? 0;
  if (length > 0 && pattern[at + length] === '?') length++;
  return length;
}

function endOfClass(pattern: string, from: number): number {
  let i = from;
  while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** Skips `?:`, `?=`, `?!`, `?<=`, `?<!` and `?<name>` after an opening parenthesis. */
function afterGroupPrefix(pattern: string, from: number): number {
  if (pattern[from] !== '?') return from;
  if (pattern[from + 1] === '<' && pattern[from + 2] !== '=' && pattern[from + 2] !== '!') {
    return pattern.indexOf('>', from) + 1;
  }
  return from + (pattern[from + 1] === '<' ? 3 : 2);
}
