import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { listParameter } from './list-parameter';

describe('listParameter', () => {
  it('splits comma-separated values', () => {
    assert.deepEqual(listParameter('retry,failure'), ['retry', 'failure']);
  });

  it('flattens repeated parameters, each of which may hold commas', () => {
    assert.deepEqual(listParameter(['a.b', 'c.d,e.f']), ['a.b', 'c.d', 'e.f']);
  });

  it('trims, drops empty items and keeps each value once', () => {
    assert.deepEqual(listParameter(' a , ,a,b,'), ['a', 'b']);
    assert.deepEqual(listParameter(','), []);
  });

  it('passes anything else through for the validator to refuse', () => {
    const odd = { a: 1 };
    assert.equal(listParameter(odd), odd);
    assert.deepEqual(listParameter(['a', 1]), ['a', 1]);
  });
});
