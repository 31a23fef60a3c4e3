import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { newId } from '../ids/id';
import { toPage, toPageRequest } from './page';

describe('cursor pagination', () => {
  it('returns a cursor only when a further row exists, and the cursor reads back as that id', () => {
    const rows = [{ id: newId() }, { id: newId() }, { id: newId() }];
    const page = toPage(rows, { limit: 2 }, (row) => row.id);
    assert.deepEqual(page.data, [rows[0].id, rows[1].id]);
    assert.ok(page.next_cursor);
    assert.equal(toPageRequest({ cursor: page.next_cursor }).beforeId, rows[1].id);
    assert.equal(toPage(rows.slice(0, 2), { limit: 2 }, (r) => r.id).next_cursor, null);
  });

  it('rejects a cursor it did not issue, naming the field', () => {
    assert.throws(() => toPageRequest({ cursor: 'bm90LWFuLWlk' }), { field: 'cursor', status: 400 });
  });

  it('defaults to 20 rows', () => {
    assert.equal(toPageRequest({}).limit, 20);
  });
});
