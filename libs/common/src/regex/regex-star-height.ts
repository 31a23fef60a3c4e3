const BRACE_QUANTIFIER = /^\{\d+(,\d*)?\}/;

/**
 * True when a repeated group contains a repetition (`(a+)+`, `(x*y*)*`): the "star height" rule of
 * the safe-regex checkers, for patterns that users write and Caravan runs on every event, where
 * exponential backtracking would stall every tenant. Overlapping alternations such as `(a|a)*`
 * are not caught; callers cap the pattern's length. Assumes the pattern compiles.
 */
export function repeatsARepetition(pattern: string): boolean {
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
