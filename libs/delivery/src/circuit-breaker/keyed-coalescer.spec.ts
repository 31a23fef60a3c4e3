import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedCoalescer } from './keyed-coalescer';

describe('KeyedCoalescer', () => {
  it('runs one key one run at a time, and gathers the calls made meanwhile into the next run, in order', async () => {
    const runs: string[][] = [];
    let running = 0;
    let most = 0;
    const coalescer = new KeyedCoalescer<string, string>(async (_key, items) => {
      most = Math.max(most, ++running);
      runs.push(items);
      await sleep(15);
      running--;
      return items.map((item) => item.toUpperCase());
    });
    const first = coalescer.add('a', 'one');
    await sleep(1);
    const later = ['two', 'three', 'four'].map((item) => coalescer.add('a', item));
    assert.deepEqual(await Promise.all([first, ...later]), ['ONE', 'TWO', 'THREE', 'FOUR']);
    assert.deepEqual(runs, [['one'], ['two', 'three', 'four']]);
    assert.equal(most, 1);
  });

  it('runs different keys side by side', async () => {
    let running = 0;
    let most = 0;
    const coalescer = new KeyedCoalescer<number, number>(async (_key, items) => {
      most = Math.max(most, ++running);
      await sleep(10);
      running--;
      return items;
    });
    await Promise.all([coalescer.add('a', 1), coalescer.add('b', 2)]);
    assert.equal(most, 2);
  });

  it('hands a failed run to its own callers only, and goes on with the next run', async () => {
    const coalescer = new KeyedCoalescer<string, string>(async (_key, items) => {
      await sleep(5);
      if (items.includes('bad')) throw new Error('boom');
      return items;
    });
    const failed = coalescer.add('a', 'bad');
    await sleep(1);
    const next = coalescer.add('a', 'good');
    await assert.rejects(failed, /boom/);
    assert.equal(await next, 'good');
  });

  it('refuses a run that answers the wrong number of results, to every caller in it', async () => {
    const coalescer = new KeyedCoalescer<string, string>(async () => []);
    await assert.rejects(coalescer.add('a', 'x'), /a run of 1 got 0 results/);
  });

  it('forgets a key once its calls are answered', async () => {
    const coalescer = new KeyedCoalescer<number, number>(async (_key, items) => items);
    await Promise.all([coalescer.add('a', 1), coalescer.add('b', 2)]);
    assert.equal(coalescer.busyKeys, 0);
  });

  it('leaves at least the minimum interval between the starts of two runs of a key', async () => {
    const starts: number[] = [];
    const coalescer = new KeyedCoalescer<number, number>(async (_key, items) => {
      starts.push(Date.now());
      return items;
    }, 40);
    await coalescer.add('a', 1);
    await Promise.all([coalescer.add('a', 2), coalescer.add('a', 3), coalescer.add('a', 4)]);
    assert.equal(starts.length, 3, 'a lone call runs at once; the calls that come while a key runs share its next run');
    assert.ok(starts[2] - starts[1] >= 38, `runs ${starts[2] - starts[1]} ms apart`);
  });
});
