import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { InvalidInputError } from '@caravan/common';
import { compileSubscriptionFilter, filterSubject, parseSubscriptionFilter } from './subscription-filter';

const subject = filterSubject(
  { amount: 150, customer: { tier: 'gold' } },
  { 'X-Tenant': 'acme', 'X-Region': 'eu-west' },
);

function matches(filter: unknown): boolean {
  return compileSubscriptionFilter(parseSubscriptionFilter(filter))(subject);
}

function rejects(filter: unknown, field: string, message: RegExp): void {
  assert.throws(
    () => parseSubscriptionFilter(filter),
    (error: unknown) =>
      error instanceof InvalidInputError && error.field === field && message.test(error.message),
  );
}

describe('subscription filters', () => {
  it('matches everything without a filter, with an empty one, or with empty parts', () => {
    for (const filter of [null, undefined, {}, { body: {} }, { headers: {} }, { body: {}, headers: {} }]) {
      assert.equal(matches(filter), true, JSON.stringify(filter));
    }
  });

  it('needs both the body and the headers filter to match', () => {
    assert.equal(matches({ body: { amount: { $gte: 100 } }, headers: { 'X-Tenant': 'acme' } }), true);
    assert.equal(matches({ body: { amount: { $gte: 200 } }, headers: { 'X-Tenant': 'acme' } }), false);
    assert.equal(matches({ body: { amount: { $gte: 100 } }, headers: { 'X-Tenant': 'other' } }), false);
  });

  it('matches header names case-insensitively, on the event and in the filter', () => {
    assert.equal(matches({ headers: { 'x-tenant': 'acme' } }), true);
    assert.equal(matches({ headers: { 'X-TENANT': 'acme' } }), true);
    assert.equal(matches({ headers: { 'x-tenant': { $in: ['acme', 'globex'] } } }), true);
    assert.equal(
      matches({ headers: { $or: [{ 'X-Tenant': 'globex' }, { 'x-region': { $regex: '^eu-' } }] } }),
      true,
    );
    assert.equal(matches({ headers: { 'X-Missing': { $exist: false } } }), true);
  });

  it('compares header values case-sensitively', () => {
    assert.equal(matches({ headers: { 'X-Tenant': 'ACME' } }), false);
  });

  it('treats a header name with a dot as one name, not a path', () => {
    const dotted = filterSubject({}, { 'X-Trace.Id': 'abc' });
    assert.equal(
      compileSubscriptionFilter(parseSubscriptionFilter({ headers: { 'x-trace.id': 'abc' } }))(dotted),
      true,
    );
  });

  it('matches an event without custom headers only by header filters that allow a missing header', () => {
    const bare = filterSubject({ amount: 1 }, null);
    assert.equal(compileSubscriptionFilter({ headers: { 'x-tenant': 'acme' } })(bare), false);
    assert.equal(compileSubscriptionFilter({ headers: { 'x-tenant': { $exist: false } } })(bare), true);
  });

  it('keeps a header named __proto__ as a header', () => {
    const odd = filterSubject({}, JSON.parse('{"__proto__": "x"}'));
    assert.equal(compileSubscriptionFilter({ headers: JSON.parse('{"__proto__": "x"}') })(odd), true);
  });

  it('stores the given parts and drops parts given as null', () => {
    assert.equal(parseSubscriptionFilter(null), null);
    assert.deepEqual(parseSubscriptionFilter({ body: { a: 1 }, headers: null }), { body: { a: 1 } });
    assert.deepEqual(parseSubscriptionFilter({}), {});
  });

  it('refuses bad filters naming the field under filter', () => {
    rejects('x', 'filter', /filter must be an object/);
    rejects([], 'filter', /filter must be an object/);
    rejects({ bodies: {} }, 'filter.bodies', /unknown field "bodies"/);
    rejects({ body: [] }, 'filter.body', /filter\.body must be a JSON object/);
    rejects(
      { body: { data: { amount: { $gtx: 1 } } } },
      'filter.body.data.amount.$gtx',
      /unknown filter operator/,
    );
    rejects(
      { body: { 'data.amount': { $gtx: 1 } } },
      'filter.body.data.amount.$gtx',
      /unknown filter operator/,
    );
    rejects(
      { headers: { 'X-Tenant': { $regex: '[' } } },
      'filter.headers.X-Tenant.$regex',
      /not a valid regular expression/,
    );
    rejects({ headers: { '': 'x' } }, 'filter.headers.', /needs a header name/);
  });
});
