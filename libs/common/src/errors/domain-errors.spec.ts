import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { InvalidInputError, NotFoundError, nullIfNotFound } from './domain-errors';

describe('nullIfNotFound', () => {
  it('turns only "not found" into null and lets every other failure through', async () => {
    assert.equal(await Promise.reject(NotFoundError.of('event')).catch(nullIfNotFound), null);
    await assert.rejects(Promise.reject(new Error('connection reset')).catch(nullIfNotFound), /connection reset/);
    await assert.rejects(Promise.reject(new InvalidInputError('bad')).catch(nullIfNotFound), InvalidInputError);
  });
});
