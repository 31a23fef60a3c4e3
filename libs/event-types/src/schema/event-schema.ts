import { InvalidInputError, repeatsARepetition } from '@caravan/common';
import Ajv from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import type AjvCore from 'ajv/dist/core';
import type { ErrorObject, Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { JsonSchemaObject } from '../entities/event-type.entity';
import { pathOf } from './schema-violation';

/** A registered schema, compiled; answers the first thing wrong with `data`, or null. */
export type EventDataCheck = (data: unknown) => ErrorObject | null;

/** Limits on what a project may register: schemas run in the api on every event of their type. */
export const MAX_SCHEMA_BYTES = 64 * 1024;
export const MAX_SCHEMA_DEPTH = 32;
export const MAX_PATTERN_LENGTH = 500;

const DRAFT_2020_12 = /^https:\/\/json-schema\.org\/draft\/2020-12\/schema#?$/;
const DRAFT_07 = /^http:\/\/json-schema\.org\/draft-07\/schema#?$/;

/** `pattern` and `patternProperties` go through here: a pattern that can backtrack exponentially on a sender's string is refused when registered. */
function checkedRegExp(pattern: string, flags: string): RegExp {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new Error(`pattern ${JSON.stringify(`${pattern.slice(0, 40)}…`)} is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  const regex = new RegExp(pattern, flags);
  if (repeatsARepetition(pattern)) {
    throw new Error(`pattern ${JSON.stringify(pattern)} repeats a group that itself repeats (like "(a+)+"), which can take exponential time; simplify it`);
  }
  return regex;
}
checkedRegExp.code = 'new RegExp';

const OPTIONS: Options = {
  // Unknown keywords and formats are errors, so a typo ("requried") cannot silently switch a check off.
  strict: true,
  // Legal but unusual combinations (union types, open tuples, `required` of properties declared
  // in another subschema) are the author's choice.
  strictTypes: false,
  strictTuples: false,
  strictRequired: false,
  // The first error is all an answer names, and stopping there bounds the work on a bad event.
  allErrors: false,
  // Schemas of different projects may carry the same $id: none is registered with the instance.
  addUsedSchema: false,
  // Validation must never change the data: it is stored and delivered byte for byte.
  useDefaults: false,
  coerceTypes: false,
  removeAdditional: false,
  logger: false,
  code: { regExp: checkedRegExp },
};

let dialects: { draft2020: AjvCore; draft07: AjvCore } | undefined;

/**
 * JSON Schema 2020-12 unless the schema's `$schema` asks for draft-07: 2020-12 is the current
 * draft and the one OpenAPI 3.1 and AsyncAPI 3 use, so a provider's API documents can share
 * their schemas; draft-07 schemas, still the most common in the wild, keep working as written.
 */
function dialectOf(schema: JsonSchemaObject): AjvCore {
  dialects ??= {
    draft2020: addFormats(new Ajv2020(OPTIONS)),
    draft07: addFormats(new Ajv(OPTIONS)),
  };
  const declared = schema.$schema;
  if (declared === undefined || (typeof declared === 'string' && DRAFT_2020_12.test(declared))) return dialects.draft2020;
  if (typeof declared === 'string' && DRAFT_07.test(declared)) return dialects.draft07;
  throw invalid(
    '$schema must be "https://json-schema.org/draft/2020-12/schema" or "http://json-schema.org/draft-07/schema#" (or absent, for 2020-12)',
  );
}

/**
 * Checks a schema a project registers and compiles it. Throws a 400 naming `schema` with what
 * is wrong: too large or deep, not a valid schema of its dialect, an unknown keyword or format,
 * a `$ref` that does not resolve inside it (nothing is fetched), or an unsafe pattern.
 */
export function compileEventSchema(schema: JsonSchemaObject): EventDataCheck {
  const bytes = Buffer.byteLength(JSON.stringify(schema));
  if (bytes > MAX_SCHEMA_BYTES) throw invalid(`schema must be at most ${MAX_SCHEMA_BYTES} bytes of JSON (got ${bytes})`);
  if (depthOf(schema) > MAX_SCHEMA_DEPTH) throw invalid(`schema must nest at most ${MAX_SCHEMA_DEPTH} levels deep`);
  const ajv = dialectOf(schema);
  if (!ajv.validateSchema(schema)) {
    const problem = ajv.errors?.[0];
    throw invalid(problem ? `${pathOf('schema', problem.instancePath)} ${problem.message ?? 'is invalid'}${allowed(problem)}` : 'schema is invalid');
  }
  try {
    const validate = ajv.compile(schema);
    return (data) => (validate(data) ? null : pickError(validate.errors ?? []));
  } catch (error) {
    throw invalid(`schema is invalid: ${(error as Error).message}`);
  } finally {
    // The instance is shared by every project: keep nothing of this schema in it.
    ajv.removeSchema(schema);
  }
}

/**
 * With allErrors off, a failed anyOf / oneOf / contains lists what each alternative said, then
 * itself: the alternatives are guesses, the summary is the fact. Otherwise the first error is it.
 */
function pickError(errors: ErrorObject[]): ErrorObject | null {
  const last = errors[errors.length - 1];
  if (last && ['anyOf', 'oneOf', 'contains'].includes(last.keyword)) return last;
  return errors[0] ?? null;
}

function allowed(error: ErrorObject): string {
  if (error.keyword !== 'enum') return '';
  return `: ${(error.params as { allowedValues: unknown[] }).allowedValues.map((value) => JSON.stringify(value)).join(', ')}`;
}

function depthOf(value: unknown, depth = 0): number {
  if (depth > MAX_SCHEMA_DEPTH || typeof value !== 'object' || value === null) return depth;
  let deepest = depth;
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, depth + 1));
  return deepest;
}

function invalid(message: string): InvalidInputError {
  return new InvalidInputError(message, 'schema');
}
