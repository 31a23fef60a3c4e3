import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { isJsonbCompatible } from './event.dto';

describe('isJsonbCompatible (what a data= filter may hold)', () => {
  it('accepts ordinary JSON, emoji (surrogate pairs) and large finite numbers', () => {
    assert.equal(isJsonbCompatible({ customer: { id: 'c_1', tags: ['a', 2, true, null] }, note: 'ok 😀' }), true);
    assert.equal(isJsonbCompatible({ big: 1.7976931348623157e308 }), true);
  });

  it('refuses \\u0000 and lone surrogates, in values and in keys', () => {
    assert.equal(isJsonbCompatible({ a: 'x\u0000y' }), false);
    assert.equal(isJsonbCompatible({ 'k\u0000': 1 }), false);
    assert.equal(isJsonbCompatible({ a: ['\ud800'] }), false);
    assert.equal(isJsonbCompatible({ a: 'x\udc00' }), false);
    assert.equal(isJsonbCompatible({ '\ud83d': 1 }), false);
  });

  it('refuses numbers JavaScript read as infinite', () => {
    assert.equal(isJsonbCompatible(JSON.parse('{"a":1e999}')), false);
  });
});
