import { InvalidInputError } from '@caravan/common';
import {
  CandidatesTest,
  compileOperator,
  equalsLiteral,
  OperandCheck,
  OPERATOR_NAMES,
} from './filter-operators';
import { compilePath, PathResolver } from './filter-path';
import { isJsonObject } from './json-value';

/** A compiled filter: true when the document matches. */
export type FilterPredicate = (document: unknown) => boolean;

export interface FilterOptions {
  /**
   * Header filters: each key is one header name, matched lower-cased and never split on dots (a
   * header name may hold one). The document's keys must be lower-cased by the caller.
   */
  headerNames?: boolean;
}

/** Bounds on what one filter may hold, so a stored filter stays cheap to compile and to run. */
export const MAX_FILTER_DEPTH = 20;
export const MAX_FILTER_VALUES = 1000;
export const MAX_PATH_LENGTH = 500;

/**
 * Validates a filter and compiles it into a predicate. A filter is an object whose keys are dotted
 * paths (`"data.customer.tier"`) or `$or` / `$and` (arrays of filters), all of them ANDed; a
 * path's value is a literal (equality, deep for objects and arrays) or an object of operators,
 * also ANDed. `{}` matches everything. Throws InvalidInputError naming the bad part under `field`,
 * such as `filter.body.amount.$gtx`.
 */
export function compileFilter(filter: unknown, field: string, options: FilterOptions = {}): FilterPredicate {
  return new FilterCompiler(field, options).filter(filter, field, 1);
}

class FilterCompiler {
  private values = 0;

  constructor(
    private readonly rootField: string,
    private readonly options: FilterOptions,
  ) {}

  filter(filter: unknown, field: string, depth: number): FilterPredicate {
    this.count(field, depth);
    if (!isJsonObject(filter)) throw new InvalidInputError(`${field} must be a JSON object`, field);
    return allOf(
      Object.entries(filter).map(([key, value]) => this.entry(key, value, `${field}.${key}`, depth + 1)),
    );
  }

  private entry(key: string, value: unknown, field: string, depth: number): FilterPredicate {
    if (key === '$or' || key === '$and') return this.logical(key, value, field, depth);
    if (key.startsWith('$')) {
      throw new InvalidInputError(
        `unknown filter operator "${key}"; only $or and $and may stand where a path does`,
        field,
      );
    }
    return this.condition(this.path(key, field), value, field, depth);
  }

  private logical(key: '$or' | '$and', value: unknown, field: string, depth: number): FilterPredicate {
    this.count(field, depth);
    if (!Array.isArray(value) || value.length === 0) {
      throw new InvalidInputError(`${key} must be a non-empty array of filters`, field);
    }
    const filters = value.map((filter, index) => this.filter(filter, `${field}.${index}`, depth + 1));
    return key === '$or' ? anyOf(filters) : allOf(filters);
  }

  private condition(resolve: PathResolver, value: unknown, field: string, depth: number): FilterPredicate {
    const checkOperand: OperandCheck = (operand, operandField) =>
      this.value(operand, operandField, depth + 1);
    let tests: CandidatesTest[];
    if (this.isOperators(value, field)) {
      this.count(field, depth);
      tests = Object.entries(value).map(([name, operand]) =>
        compileOperator(name, operand, `${field}.${name}`, checkOperand),
      );
    } else {
      this.value(value, field, depth);
      tests = [equalsLiteral(value)];
    }
    if (tests.length === 1) {
      const [test] = tests;
      return (document) => test(resolve(document));
    }
    return (document) => {
      const candidates = resolve(document);
      return tests.every((test) => test(candidates));
    };
  }

  /** `{ "$gte": 1 }` holds operators; `{ "a": 1 }` is a literal to compare; mixing both is an error. */
  private isOperators(value: unknown, field: string): value is Record<string, unknown> {
    if (!isJsonObject(value)) return false;
    const keys = Object.keys(value);
    const operators = keys.filter((key) => key.startsWith('$')).length;
    if (operators > 0 && operators < keys.length) {
      throw new InvalidInputError(
        `${field} mixes operators with plain keys; use only operators, or an object without $ keys to compare`,
        field,
      );
    }
    return operators > 0;
  }

  private path(key: string, field: string): PathResolver {
    if (key.length > MAX_PATH_LENGTH) {
      throw new InvalidInputError(`a filter path must be at most ${MAX_PATH_LENGTH} characters`, field);
    }
    if (this.options.headerNames) {
      if (key === '') throw new InvalidInputError('a header filter needs a header name', field);
      return compilePath([key.toLowerCase()]);
    }
    const segments = key.split('.');
    if (segments.includes(''))
      throw new InvalidInputError(`filter path "${key}" has an empty segment`, field);
    return compilePath(segments);
  }

  /**
   * Checks a literal or operand and everything in it against the bounds. `$` keys are refused
   * inside one: `{ "data": { "amount": { "$gte": 1 } } }` would otherwise be a literal that never
   * matches, where the user meant `{ "data.amount": { "$gte": 1 } }`.
   */
  private value(value: unknown, field: string, depth: number): void {
    this.count(field, depth);
    if (Array.isArray(value)) {
      value.forEach((element, index) => this.value(element, `${field}.${index}`, depth + 1));
    } else if (isJsonObject(value)) {
      for (const [key, element] of Object.entries(value)) {
        if (key.startsWith('$')) throw misplacedOperator(key, field);
        this.value(element, `${field}.${key}`, depth + 1);
      }
    }
  }

  private count(field: string, depth: number): void {
    if (depth > MAX_FILTER_DEPTH) {
      throw new InvalidInputError(
        `${this.rootField} is nested deeper than ${MAX_FILTER_DEPTH} levels`,
        field,
      );
    }
    if (++this.values > MAX_FILTER_VALUES) {
      throw new InvalidInputError(
        `${this.rootField} holds more than ${MAX_FILTER_VALUES} values`,
        this.rootField,
      );
    }
  }
}

function misplacedOperator(key: string, field: string): InvalidInputError {
  const operatorField = `${field}.${key}`;
  if (!OPERATOR_NAMES.includes(key))
    return new InvalidInputError(`unknown filter operator "${key}"`, operatorField);
  return new InvalidInputError(
    `operator "${key}" must stand right under a dotted path, as in { "data.amount": { "${key}": ... } }`,
    operatorField,
  );
}

function allOf(predicates: FilterPredicate[]): FilterPredicate {
  if (predicates.length === 0) return () => true;
  if (predicates.length === 1) return predicates[0];
  return (document) => predicates.every((predicate) => predicate(document));
}

function anyOf(predicates: FilterPredicate[]): FilterPredicate {
  if (predicates.length === 1) return predicates[0];
  return (document) => predicates.some((predicate) => predicate(document));
}
