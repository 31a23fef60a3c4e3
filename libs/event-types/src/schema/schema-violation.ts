import { InvalidInputError } from '@caravan/common';
import type { ErrorObject } from 'ajv';

/** An event's data breaks the schema registered for its type: a 400 naming the path (`data.amount`). */
export class EventSchemaViolation extends InvalidInputError {}

const MAX_SHOWN_VALUE = 100;

/** `data` + an ajv instancePath (a JSON Pointer such as `/items/0/sku`) → `data.items.0.sku`. */
export function pathOf(root: string, instancePath: string): string {
  if (instancePath === '') return root;
  const segments = instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  return [root, ...segments].join('.');
}

/** The field and sentence an answer gives for one ajv error about an event's data. */
export function describeViolation(eventType: string, error: ErrorObject): EventSchemaViolation {
  const at = pathOf('data', error.instancePath);
  const params = error.params as Record<string, unknown>;
  const { field, problem } = describe(at, error, params);
  return new EventSchemaViolation(`${field} ${problem} (schema of event type ${eventType})`, field);
}

function describe(at: string, error: ErrorObject, params: Record<string, unknown>): { field: string; problem: string } {
  switch (error.keyword) {
    case 'required':
      return { field: `${at}.${String(params.missingProperty)}`, problem: 'is required' };
    case 'dependentRequired':
    case 'dependencies':
      return {
        field: `${at}.${String(params.missingProperty)}`,
        problem: `is required when ${at}.${String(params.property)} is present`,
      };
    case 'additionalProperties':
      return { field: `${at}.${String(params.additionalProperty)}`, problem: 'is not allowed' };
    case 'unevaluatedProperties':
      return { field: `${at}.${String(params.unevaluatedProperty)}`, problem: 'is not allowed' };
    case 'propertyNames':
      return { field: at, problem: `has a property name that is not allowed: ${shown(params.propertyName)}` };
    case 'enum':
      return { field: at, problem: `must be one of ${(params.allowedValues as unknown[]).map(shown).join(', ')}` };
    case 'const':
      return { field: at, problem: `must be ${shown(params.allowedValue)}` };
    default:
      return { field: at, problem: error.message ?? `fails ${error.keyword}` };
  }
}

function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_SHOWN_VALUE ? `${text.slice(0, MAX_SHOWN_VALUE)}…` : text;
}
