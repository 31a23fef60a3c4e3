import { InvalidInputError } from '@caravan/common';
import { compileRegex } from './filter-regex';
import { deepEqual } from './json-value';

/** A test of one value found at a path. */
type ValueTest = (value: unknown) => boolean;

/** A test of everything a path reached: none when the path is missing, several through arrays. */
export type CandidatesTest = (candidates: unknown[]) => boolean;

/** Checks an operand that is any JSON value, such as `$eq`'s, against the filter's size bounds. */
export type OperandCheck = (operand: unknown, field: string) => void;

type OperatorCompiler = (operand: unknown, field: string, checkValue: OperandCheck) => CandidatesTest;

/**
 * A path's operators. Like MongoDB's, a test holds when any value at the path satisfies it, or
 * any element of such a value that is an array; `$neq` and `$nin` are the negations of `$eq` and
 * `$in`, so they also hold when the path is missing.
 */
const OPERATORS: Record<string, OperatorCompiler> = {
  $eq: (operand, field, checkValue) => {
    checkValue(operand, field);
    return someCandidate(equalTo(operand));
  },
  $neq: (operand, field, checkValue) => {
    checkValue(operand, field);
    return not(someCandidate(equalTo(operand)));
  },
  $in: (operand, field, checkValue) => someCandidate(oneOf(arrayOperand('$in', operand, field, checkValue))),
  $nin: (operand, field, checkValue) =>
    not(someCandidate(oneOf(arrayOperand('$nin', operand, field, checkValue)))),
  $gt: (operand, field) => someCandidate(ordered('$gt', operand, field, (order) => order > 0)),
  $gte: (operand, field) => someCandidate(ordered('$gte', operand, field, (order) => order >= 0)),
  $lt: (operand, field) => someCandidate(ordered('$lt', operand, field, (order) => order < 0)),
  $lte: (operand, field) => someCandidate(ordered('$lte', operand, field, (order) => order <= 0)),
  $exist: (operand, field) => {
    if (typeof operand !== 'boolean') throw new InvalidInputError('$exist must be true or false', field);
    return (candidates) => candidates.length > 0 === operand;
  },
  $regex: (operand, field) => {
    const regex = compileRegex(operand, field);
    return someCandidate((value) => typeof value === 'string' && regex.test(value));
  },
};

export const OPERATOR_NAMES = Object.keys(OPERATORS);

export function compileOperator(
  name: string,
  operand: unknown,
  field: string,
  checkValue: OperandCheck,
): CandidatesTest {
  const compile = Object.hasOwn(OPERATORS, name) ? OPERATORS[name] : undefined;
  if (!compile) {
    throw new InvalidInputError(
      `unknown filter operator "${name}"; use one of ${OPERATOR_NAMES.join(', ')}`,
      field,
    );
  }
  return compile(operand, field, checkValue);
}

/** `$eq` on a literal: the common case, so scalars compare with === and skip deepEqual. */
export function equalsLiteral(literal: unknown): CandidatesTest {
  return someCandidate(equalTo(literal));
}

function someCandidate(test: ValueTest): CandidatesTest {
  return (candidates) =>
    candidates.some((value) => test(value) || (Array.isArray(value) && value.some(test)));
}

function not(test: CandidatesTest): CandidatesTest {
  return (candidates) => !test(candidates);
}

function equalTo(operand: unknown): ValueTest {
  return typeof operand === 'object' && operand !== null
    ? (value) => deepEqual(value, operand)
    : (value) => value === operand;
}

function oneOf(operands: unknown[]): ValueTest {
  const scalars = new Set(operands.filter((operand) => typeof operand !== 'object' || operand === null));
  const structured = operands.filter((operand) => typeof operand === 'object' && operand !== null);
  return (value) => scalars.has(value) || structured.some((operand) => deepEqual(value, operand));
}

function arrayOperand(name: string, operand: unknown, field: string, checkValue: OperandCheck): unknown[] {
  if (!Array.isArray(operand)) throw new InvalidInputError(`${name} must be an array of values`, field);
  checkValue(operand, field);
  return operand;
}

/** Numbers compare with numbers and strings with strings; a value of another type never matches. */
function ordered(
  name: string,
  operand: unknown,
  field: string,
  accept: (order: number) => boolean,
): ValueTest {
  if (typeof operand !== 'number' && typeof operand !== 'string') {
    throw new InvalidInputError(`${name} must be a number or a string`, field);
  }
  return (value) => typeof value === typeof operand && accept(compare(value as typeof operand, operand));
}

function compare<T extends number | string>(value: T, operand: T): number {
  return value < operand ? -1 : value > operand ? 1 : 0;
}
