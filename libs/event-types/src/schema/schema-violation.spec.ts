import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { compileEventSchema } from './event-schema';
import { describeViolation, pathOf } from './schema-violation';

function violation(schema: Record<string, unknown>, data: unknown): { field?: string; message: string; status: number } {
  const error = compileEventSchema(schema)(data);
  assert.ok(error, 'the data should break the schema');
  const described = describeViolation('invoice.paid', error);
  return { field: described.field, message: described.message, status: described.status };
}

describe('schema violations as API errors', () => {
  it('turns a JSON Pointer into a dotted path under data', () => {
    assert.equal(pathOf('data', ''), 'data');
    assert.equal(pathOf('data', '/items/0/sku'), 'data.items.0.sku');
    assert.equal(pathOf('data', '/a~1b/c~0d'), 'data.a/b.c~d');
  });

  it('names the failing value and says what is wrong, as a 400', () => {
    assert.deepEqual(violation({ properties: { amount: { type: 'integer' } } }, { amount: '12' }), {
      field: 'data.amount',
      message: 'data.amount must be integer (schema of event type invoice.paid)',
      status: 400,
    });
    assert.equal(violation({ properties: { items: { items: { properties: { sku: { type: 'string' } } } } } }, { items: [{ sku: 'a' }, { sku: 2 }] }).field, 'data.items.1.sku');
    assert.deepEqual(violation({ type: 'object' }, []), {
      field: 'data',
      message: 'data must be object (schema of event type invoice.paid)',
      status: 400,
    });
  });

  it('names the missing or extra property itself', () => {
    const missing = violation({ properties: { customer: { required: ['id'] } } }, { customer: {} });
    assert.equal(missing.field, 'data.customer.id');
    assert.match(missing.message, /^data\.customer\.id is required /);
    const extra = violation({ additionalProperties: false, properties: { a: {} } }, { a: 1, secret: 2 });
    assert.equal(extra.field, 'data.secret');
    assert.match(extra.message, /^data\.secret is not allowed /);
    const unevaluated = violation({ properties: { a: {} }, unevaluatedProperties: false }, { b: 1 });
    assert.equal(unevaluated.field, 'data.b');
    const dependent = violation({ dependentRequired: { tax: ['currency'] } }, { tax: 1 });
    assert.equal(dependent.field, 'data.currency');
    assert.match(dependent.message, /is required when data\.tax is present/);
  });

  it('lists the allowed values of enum and const', () => {
    assert.match(violation({ properties: { c: { enum: ['EUR', 'USD'] } } }, { c: 'GBP' }).message, /^data\.c must be one of "EUR", "USD" /);
    assert.match(violation({ properties: { v: { const: 2 } } }, { v: 1 }).message, /^data\.v must be 2 /);
  });

  it('reports a failed anyOf as a whole, not the guess of its first branch', () => {
    const failed = violation({ properties: { id: { anyOf: [{ type: 'string' }, { type: 'integer' }] } } }, { id: true });
    assert.equal(failed.field, 'data.id');
    assert.match(failed.message, /must match a schema in anyOf/);
  });
});
