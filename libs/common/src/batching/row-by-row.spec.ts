import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { MicroBatcher } from './micro-batcher';
import { rowByRowOnFailure, throwIfError } from './row-by-row';

/** Stands in for a statement over many rows: one bad row fails the whole statement. */
async function statement(rows: number[]): Promise<number[]> {
  if (rows.includes(-1)) throw new Error('bad row');
  return rows.map((row) => row * 2);
}

describe('rowByRowOnFailure', () => {
  it('answers a batch that succeeds with one statement', async () => {
    const runs: number[][] = [];
    const results = await rowByRowOnFailure([1, 2, 3], (batch) => (runs.push(batch), statement(batch)));
    assert.deepEqual(results, [2, 4, 6]);
    assert.deepEqual(runs, [[1, 2, 3]]);
  });

  it('runs each row alone when the batch fails, so only the bad row fails', async () => {
    const batcher = new MicroBatcher<number, number | Error>((rows) => rowByRowOnFailure(rows, statement));
    const settled = await Promise.allSettled([1, -1, 3].map((row) => batcher.add(row).then(throwIfError)));
    assert.deepEqual(settled[0], { status: 'fulfilled', value: 2 });
    assert.equal(settled[1].status, 'rejected');
    assert.match(String((settled[1] as PromiseRejectedResult).reason), /bad row/);
    assert.deepEqual(settled[2], { status: 'fulfilled', value: 6 });
  });
});
