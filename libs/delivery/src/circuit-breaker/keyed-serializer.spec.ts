import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedSerializer } from './keyed-serializer';

describe('KeyedSerializer', () => {
  it('runs the work of one key one at a time, in the order it came', async () => {
    const serializer = new KeyedSerializer();
    const events: string[] = [];
    const work = (name: string, ms: number) => async () => {
      events.push(`${name} starts`);
      await sleep(ms);
      events.push(`${name} ends`);
    };
    await Promise.all([serializer.run('a', work('first', 20)), serializer.run('a', work('second', 1))]);
    assert.deepEqual(events, ['first starts', 'first ends', 'second starts', 'second ends']);
  });

  it('runs the work of different keys side by side', async () => {
    const serializer = new KeyedSerializer();
    let running = 0;
    let most = 0;
    const work = async () => {
      most = Math.max(most, ++running);
      await sleep(10);
      running--;
    };
    await Promise.all([serializer.run('a', work), serializer.run('b', work)]);
    assert.equal(most, 2);
  });

  it('goes on with the next work of a key after one fails, and hands the failure to its caller only', async () => {
    const serializer = new KeyedSerializer();
    const failed = serializer.run('a', async () => {
      throw new Error('boom');
    });
    const next = serializer.run('a', async () => 'next');
    await assert.rejects(failed, /boom/);
    assert.equal(await next, 'next');
  });

  it('forgets a key once its work is done', async () => {
    const serializer = new KeyedSerializer();
    await Promise.all([serializer.run('a', async () => 1), serializer.run('b', async () => 2)]);
    await sleep(0);
    assert.equal(serializer.busyKeys, 0);
  });
});
