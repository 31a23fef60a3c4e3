import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { InvalidInputError } from '@caravan/common';
import { compileEventSchema, MAX_SCHEMA_BYTES, MAX_SCHEMA_DEPTH } from './event-schema';

function refused(schema: Record<string, unknown>, message: RegExp): void {
  assert.throws(
    () => compileEventSchema(schema),
    (error: unknown) => error instanceof InvalidInputError && error.field === 'schema' && message.test(error.message),
    JSON.stringify(schema).slice(0, 200),
  );
}

const INVOICE = {
  type: 'object',
  required: ['invoice_id', 'amount'],
  properties: {
    invoice_id: { type: 'string', minLength: 1 },
    amount: { type: 'integer', minimum: 0 },
    paid_at: { type: 'string', format: 'date-time' },
  },
};

describe('event schemas when registered', () => {
  it('compiles a 2020-12 schema by default and checks data with it, formats included', () => {
    const check = compileEventSchema(INVOICE);
    assert.equal(check({ invoice_id: 'inv_1', amount: 4200, paid_at: '2026-01-01T00:00:00Z' }), null);
    assert.equal(check({ invoice_id: 'inv_1', amount: -1 })?.keyword, 'minimum');
    assert.equal(check({ invoice_id: 'inv_1', amount: 1, paid_at: 'yesterday' })?.keyword, 'format');
    // 2020-12 only: prefixItems.
    const tuple = compileEventSchema({ type: 'array', prefixItems: [{ type: 'string' }] });
    assert.equal(tuple(['a', 1]), null);
    assert.equal(tuple([1])?.keyword, 'type');
  });

  it('compiles a draft-07 schema when $schema says so, and refuses other dialects', () => {
    const check = compileEventSchema({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'array', items: [{ type: 'string' }] });
    assert.equal(check(['a']), null);
    assert.equal(check([1])?.instancePath, '/0');
    assert.doesNotThrow(() => compileEventSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' }));
    refused({ $schema: 'http://json-schema.org/draft-04/schema#' }, /^\$schema must be/);
  });

  it('refuses what is not a valid schema, naming the part', () => {
    refused({ type: 'integr' }, /^schema\.type must be equal to one of the allowed values: "array", /);
    refused({ properties: { amount: { minimum: 'zero' } } }, /^schema\.properties\.amount\.minimum must be number/);
  });

  it('refuses unknown keywords and formats, so a typo cannot switch a check off', () => {
    refused({ type: 'object', requried: ['a'] }, /unknown keyword: "requried"/);
    refused({ type: 'string', format: 'emial' }, /unknown format "emial"/);
  });

  it('refuses a $ref that does not resolve inside the schema, and fetches nothing', () => {
    refused({ $ref: 'https://schemas.example.com/money.json' }, /can't resolve reference https:\/\/schemas\.example\.com\/money\.json/);
    const local = compileEventSchema({ $defs: { cents: { type: 'integer' } }, properties: { amount: { $ref: '#/$defs/cents' } } });
    assert.equal(local({ amount: 1.5 })?.instancePath, '/amount');
  });

  it('refuses patterns that can backtrack exponentially, or are too long', () => {
    refused({ type: 'string', pattern: '^(a+)+$' }, /repeats a group that itself repeats/);
    refused({ type: 'object', patternProperties: { '(x*y*)*': {} } }, /repeats a group that itself repeats/);
    refused({ type: 'string', pattern: 'a'.repeat(501) }, /longer than 500 characters/);
    assert.equal(compileEventSchema({ type: 'string', pattern: '^[a-z]+(-[a-z]+)?$' })('ab-cd'), null);
  });

  it('refuses schemas over the size and depth limits', () => {
    refused({ description: 'x'.repeat(MAX_SCHEMA_BYTES) }, /at most 65536 bytes/);
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < MAX_SCHEMA_DEPTH; i++) deep = { items: deep };
    refused(deep, /at most 32 levels deep/);
  });

  it('keeps no schema in the shared compiler, so two projects may use the same $id', () => {
    const first = compileEventSchema({ $id: 'https://example.com/invoice', type: 'object', required: ['a'] });
    const second = compileEventSchema({ $id: 'https://example.com/invoice', type: 'object', required: ['b'] });
    assert.equal(first({ a: 1 }), null);
    assert.equal(second({ a: 1 })?.keyword, 'required');
  });

  it('never changes the data it checks', () => {
    const check = compileEventSchema({ type: 'object', properties: { n: { type: 'integer', default: 5 }, s: { type: 'string' } } });
    const data = { s: '1' };
    assert.equal(check(data), null);
    assert.deepEqual(data, { s: '1' });
  });
});
