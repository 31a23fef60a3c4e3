import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { InvalidInputError } from '@caravan/common';
import { selectionOf, toBatchRetryFilter } from './resend-deliveries.dto';

describe('toBatchRetryFilter', () => {
  it('selects failed deliveries when no status is given', () => {
    assert.deepEqual(toBatchRetryFilter({}).status, ['failure']);
  });

  it('keeps each status once', () => {
    assert.deepEqual(toBatchRetryFilter({ status: ['failure', 'success', 'failure'] }).status, [
      'failure',
      'success',
    ]);
  });

  it('refuses a time range that ends before it starts, naming created_before', () => {
    assert.throws(
      () =>
        toBatchRetryFilter({ created_after: '2025-01-02T00:00:00Z', created_before: '2025-01-01T00:00:00Z' }),
      (error: unknown) => error instanceof InvalidInputError && error.field === 'created_before',
    );
  });
});

describe('selectionOf', () => {
  it('turns the JSON filter of a job back into a selection, dropping any status that cannot be resent', () => {
    const selection = selectionOf({
      status: ['failure', 'processing'],
      endpointId: 'e',
      eventType: 'invoice.paid',
      createdAfter: '2025-01-01T00:00:00.000Z',
    });
    assert.deepEqual(selection.statuses, ['failure']);
    assert.equal(selection.endpointId, 'e');
    assert.equal(selection.eventType, 'invoice.paid');
    assert.equal(selection.createdAfter?.toISOString(), '2025-01-01T00:00:00.000Z');
    assert.equal(selection.createdBefore, undefined);
  });
});
