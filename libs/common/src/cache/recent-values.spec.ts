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
