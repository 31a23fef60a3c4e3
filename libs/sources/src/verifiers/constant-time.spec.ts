import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { constantTimeEquals } from './constant-time';

describe('constant-time comparison', () => {
  it('is true only for equal values, whatever their lengths', () => {
    assert.equal(constantTimeEquals('abc', 'abc'), true);
    assert.equal(constantTimeEquals('abc', 'abd'), false);
    assert.equal(constantTimeEquals('abc', 'abcd'), false);
    assert.equal(constantTimeEquals('', ''), true);
    assert.equal(constantTimeEquals(Buffer.from('abc'), 'abc'), true);
  });
});
