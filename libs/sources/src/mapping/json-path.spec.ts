import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { JSON_PATH, valueAtPath } from './json-path';

describe('dotted JSON paths', () => {
  const document = { meta: { type: 'order.created' }, items: [{ id: 'A1' }], 'x-y': 1 };

  it('follows object keys and array indexes', () => {
    assert.equal(valueAtPath(document, 'meta.type'), 'order.created');
    assert.equal(valueAtPath(document, 'items.0.id'), 'A1');
    assert.equal(valueAtPath(document, 'x-y'), 1);
    assert.deepEqual(valueAtPath(document, 'meta'), { type: 'order.created' });
  });

  it('gives undefined for a missing step, and never walks into the prototype', () => {
    assert.equal(valueAtPath(document, 'meta.missing'), undefined);
    assert.equal(valueAtPath(document, 'items.1.id'), undefined);
    assert.equal(valueAtPath(document, 'meta.type.length'), undefined);
    assert.equal(valueAtPath(document, 'constructor'), undefined);
    assert.equal(valueAtPath(document, '__proto__'), undefined);
  });

  it('accepts dotted names and refuses empty segments and spaces', () => {
    assert.ok(JSON_PATH.test('data.object.id'));
    for (const bad of ['', 'a..b', '.a', 'a.', 'a b']) assert.ok(!JSON_PATH.test(bad), bad);
  });
});
