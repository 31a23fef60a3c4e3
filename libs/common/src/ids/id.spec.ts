import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { idBoundAt, isId, newId } from './id';

describe('ids', () => {
  it('are UUIDv7 and sort in creation order', () => {
    const ids = Array.from({ length: 1000 }, () => newId());
    assert.ok(ids.every(isId));
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(ids[0][14], '7');
  });

  it('time bounds enclose every id made within that millisecond range', () => {
    const before = new Date();
    const id = newId();
    const after = new Date(Date.now() + 1);
    assert.ok(idBoundAt(before, 'lowest') <= id);
    assert.ok(idBoundAt(after, 'highest') >= id);
    assert.ok(idBoundAt(new Date(before.getTime() - 1), 'highest') < id);
  });
});
