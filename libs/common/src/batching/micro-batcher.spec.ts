import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { MicroBatcher } from './micro-batcher';

describe('MicroBatcher', () => {
  it('gathers the calls of one event-loop turn into one flush, answering each its own result', async () => {
    const flushes: number[][] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      flushes.push(items);
      return items.map((n) => n * 10);
    });
    const results = await Promise.all([1, 2, 3].map((n) => batcher.add(n)));
    assert.deepEqual(results, [10, 20, 30]);
    assert.deepEqual(flushes, [[1, 2, 3]]);
    assert.equal(await batcher.add(4), 40);
    assert.deepEqual(flushes, [[1, 2, 3], [4]]);
  });

  it('flushes at the size limit without waiting for the turn to end', async () => {
    const sizes: number[] = [];
    const batcher = new MicroBatcher<number, number>(async (items) => {
      sizes.push(items.length);
      return items;
    }, 2);
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.add(n)));
    assert.deepEqual(sizes, [2, 2, 1]);
  });

  it('rejects every caller of a failed batch, and of a batch answered with the wrong number of results', async () => {
    const failing = new MicroBatcher<number, number>(async () => {
      throw new Error('database down');
    });
    const outcomes = await Promise.allSettled([failing.add(1), failing.add(2)]);
    assert.deepEqual(outcomes.map((o) => o.status), ['rejected', 'rejected']);
    const short = new MicroBatcher<number, number>(async () => [1]);
    await assert.rejects(Promise.all([short.add(1), short.add(2)]), /a batch of 2 got 1 results/);
  });
});
