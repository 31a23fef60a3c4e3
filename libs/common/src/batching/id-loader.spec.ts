import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { IdLoader } from './id-loader';

class Row {
  constructor(
    readonly id: string,
    readonly projectId: string,
    public name = 'row',
  ) {}
}

describe('IdLoader', () => {
  it('loads the ids of one turn in one query, answering null for missing rows and rows of another scope', async () => {
    const queries: string[][] = [];
    const rows = [new Row('a', 'p1'), new Row('b', 'p2')];
    const loader = new IdLoader<Row, string>(
      async (ids) => {
        queries.push(ids);
        return rows.filter((row) => ids.includes(row.id));
      },
      (row, projectId) => row.projectId === projectId,
    );
    const [a, b, missing, aAgain] = await Promise.all([loader.load('a', 'p1'), loader.load('b', 'p1'), loader.load('c', 'p1'), loader.load('a', 'p1')]);
    assert.deepEqual(queries, [['a', 'b', 'c']]);
    assert.equal(a?.id, 'a');
    assert.equal(b, null, 'a row of another project is not found');
    assert.equal(missing, null);
    assert.ok(aAgain instanceof Row);
    assert.notEqual(aAgain, a, 'the second caller gets its own copy');
    aAgain!.name = 'changed';
    assert.equal(a!.name, 'row');
  });

  it('queries again on a later turn, so a row written in between is seen', async () => {
    let version = 1;
    const loader = new IdLoader<{ id: string; version: number }>(async (ids) => ids.map((id) => ({ id, version })));
    assert.equal((await loader.load('x', undefined))?.version, 1);
    version = 2;
    assert.equal((await loader.load('x', undefined))?.version, 2);
  });
});
