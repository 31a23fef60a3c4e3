import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { RecentValues } from './recent-values';

describe('RecentValues', () => {
  it('answers from memory within the age limit, loads again after it or after forget', async () => {
    let now = 0;
    let loads = 0;
    const values = new RecentValues<number>(1000, 10, () => now);
    const load = async () => ++loads;
    assert.equal(await values.get('a', load), 1);
    now = 999;
    assert.equal(await values.get('a', load), 1);
    now = 1000;
    assert.equal(await values.get('a', load), 2);
    values.forget('a');
    assert.equal(await values.get('a', load), 3);
  });

  it('keeps no more than its entry limit, dropping the oldest', async () => {
    let loads = 0;
    const values = new RecentValues<number>(60_000, 2);
    const load = async () => ++loads;
    await values.get('a', load);
    await values.get('b', load);
    await values.get('c', load);
    assert.equal(await values.get('b', load), 2, 'kept');
    assert.equal(await values.get('a', load), 4, 'dropped, loaded again');
  });

  it('does not keep a failed load', async () => {
    const values = new RecentValues<number>(60_000);
    await assert.rejects(values.get('a', async () => Promise.reject(new Error('down'))));
    assert.equal(await values.get('a', async () => 7), 7);
  });
});

describe('RecentValues under concurrent callers', () => {
  it('shares one load between the callers of an expired key, and hands the loader the expired value', async () => {
    let now = 0;
    const seen: (number | undefined)[] = [];
    let release!: () => void;
    const values = new RecentValues<number>(1000, 10, () => now);
    assert.equal(await values.get('a', async (expired) => (seen.push(expired), 1)), 1);
    now = 1000;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const load = async (expired: number | undefined) => {
      seen.push(expired);
      await gate;
      return 2;
    };
    const answers = Promise.all([values.get('a', load), values.get('a', load), values.get('a', load)]);
    release();
    assert.deepEqual(await answers, [2, 2, 2]);
    assert.deepEqual(seen, [undefined, 1], 'one load for the three callers, given the expired value');
  });

  it('does not keep what a load read when the key was forgotten meanwhile', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const values = new RecentValues<string>(60_000);
    const stale = values.get('a', async () => {
      await gate;
      return 'before the change';
    });
    values.forget('a');
    const fresh = values.get('a', async () => 'after the change');
    release();
    assert.equal(await stale, 'before the change');
    assert.equal(await fresh, 'after the change');
    assert.equal(await values.get('a', async () => 'reloaded'), 'after the change', 'the fresh value is kept');
  });

  it('does not keep a load that throws at once', async () => {
    const values = new RecentValues<number>(60_000);
    await assert.rejects(
      values.get('a', () => {
        throw new Error('down');
      }),
    );
    assert.equal(await values.get('a', async () => 7), 7);
  });
});
