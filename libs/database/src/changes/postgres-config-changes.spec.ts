import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TemporaryDatabase } from '../testing/temporary-database';
import { ConfigChange, NoConfigChanges } from './config-changes';
import { NotifiedCache } from './notified-cache';
import { PostgresConfigChanges } from './postgres-config-changes';

async function waitUntil(what: string, done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('configuration changes announced by PostgreSQL, on the local server', () => {
  let database: TemporaryDatabase;
  let db: DataSource;
  let feed: PostgresConfigChanges;
  const heard: (ConfigChange | null)[] = [];

  before(async () => {
    database = await TemporaryDatabase.create();
    db = database.db;
    feed = new PostgresConfigChanges(database.url);
    feed.subscribe((change) => heard.push(change));
    await waitUntil('the feed to be live', () => feed.live);
  });

  after(async () => {
    await feed.beforeApplicationShutdown();
    await database.drop();
  });

  const project = randomUUID();
  const endpoint = randomUUID();
  const subscription = randomUUID();

  it('hears every insert, update and delete of projects, endpoints and subscriptions, cascaded deletes too', async () => {
    heard.length = 0;
    await db.query(`INSERT INTO projects (id, name, config) VALUES ($1, 'p', '{}')`, [project]);
    await db.query(
      `INSERT INTO endpoints (id, project_id, name, url, secrets, http_timeout_seconds) VALUES ($1, $2, 'e', 'https://example.com', '[]', 30)`,
      [endpoint, project],
    );
    await db.query(`INSERT INTO subscriptions (id, project_id, endpoint_id, name, event_types) VALUES ($1, $2, $3, 's', '{x}')`, [
      subscription,
      project,
      endpoint,
    ]);
    await db.query(`UPDATE endpoints SET url = 'https://example.org' WHERE id = $1`, [endpoint]);
    await db.query(`DELETE FROM projects WHERE id = $1`, [project]);
    const expected = [
      { table: 'projects', projectId: project, id: project },
      { table: 'endpoints', projectId: project, id: endpoint },
      { table: 'subscriptions', projectId: project, id: subscription },
      { table: 'endpoints', projectId: project, id: endpoint },
    ];
    // The delete cascades: the project, its endpoint and its subscription, in the order PostgreSQL deletes them.
    await waitUntil('seven changes', () => heard.length >= 7);
    assert.deepEqual(heard.slice(0, 4), expected);
    assert.deepEqual(
      new Set(heard.slice(4).map((change) => `${change?.table}:${change?.id}`)),
      new Set([`projects:${project}`, `endpoints:${endpoint}`, `subscriptions:${subscription}`]),
    );
  });

  it('announces nothing for a transaction that rolls back', async () => {
    heard.length = 0;
    await db.transaction(async (manager) => {
      await manager.query(`INSERT INTO projects (id, name, config) VALUES ($1, 'p', '{}')`, [randomUUID()]);
      throw new Error('roll back');
    }).catch(() => undefined);
    const marker = randomUUID();
    await db.query(`INSERT INTO projects (id, name, config) VALUES ($1, 'marker', '{}')`, [marker]);
    await waitUntil('the marker', () => heard.some((change) => change?.id === marker));
    assert.deepEqual(heard, [{ table: 'projects', projectId: marker, id: marker }]);
  });

  it('keeps a cached value until its row is announced, and reads again after', async () => {
    heard.length = 0;
    const id = randomUUID();
    const announcementsOf = (rowId: string) => heard.filter((change) => change?.id === rowId).length;
    await db.query(`INSERT INTO projects (id, name, config) VALUES ($1, 'before', '{}')`, [id]);
    // Its own insert is announced too: heard before the first read, it cannot drop what that read keeps.
    await waitUntil('the insert', () => announcementsOf(id) === 1);
    let reads = 0;
    const cache = new NotifiedCache<string>(feed, (change) => (change.table === 'projects' ? change.id : null));
    const nameOf = () =>
      cache.get(id, async () => {
        reads++;
        return ((await db.query(`SELECT name FROM projects WHERE id = $1`, [id])) as { name: string }[])[0].name;
      });
    assert.equal(await nameOf(), 'before');
    assert.equal(await nameOf(), 'before');
    assert.equal(reads, 1);

    // Another row changing leaves it alone.
    const other = randomUUID();
    await db.query(`INSERT INTO projects (id, name, config) VALUES ($1, 'other', '{}')`, [other]);
    await waitUntil('the other row', () => announcementsOf(other) === 1);
    assert.equal(await nameOf(), 'before');
    assert.equal(reads, 1);

    await db.query(`UPDATE projects SET name = 'after' WHERE id = $1`, [id]);
    await waitUntil('the update', () => announcementsOf(id) === 2);
    assert.equal(await nameOf(), 'after');
    assert.equal(reads, 2);
  });

  it('stops caching when its connection is cut, tells listeners everything may have changed, and listens again', async () => {
    heard.length = 0;
    const id = randomUUID();
    let reads = 0;
    const cache = new NotifiedCache<number>(feed, () => null);
    const read = () => cache.get(id, async () => ++reads);
    await read();
    await read();
    assert.equal(reads, 1);

    await database.disconnect('caravan-config-changes');
    await waitUntil('the feed to notice', () => !feed.live);
    assert.ok(heard.includes(null), 'listeners are told that anything may have changed');
    await read();
    await read();
    assert.equal(reads, 3, 'while not live, every read goes to the database');

    await waitUntil('the feed to listen again', () => feed.live);
    await read();
    await read();
    assert.equal(reads, 4);
  });

  it('trusts no cache until a notification sent from another connection arrives (simulated deaf LISTEN, as behind PgBouncer in transaction mode: the first probes are dropped)', async () => {
    let probes = 0;
    const deafAtFirst = new PostgresConfigChanges(database.url, {
      probeTimeoutMs: 200,
      sendProbe: async (payload) => {
        if (++probes > 2) await db.query('SELECT pg_notify($1, $2)', ['caravan_config_changes', payload]);
      },
    });
    const told: (ConfigChange | null)[] = [];
    deafAtFirst.subscribe((change) => told.push(change));
    try {
      await waitUntil('two probes dropped', () => probes >= 2);
      assert.equal(deafAtFirst.live, false, 'a LISTEN that heard nothing is not trusted');
      let reads = 0;
      const cache = new NotifiedCache<number>(deafAtFirst, () => null);
      await cache.get('k', async () => ++reads);
      await cache.get('k', async () => ++reads);
      assert.equal(reads, 2, 'every read goes to the database meanwhile');

      await waitUntil('the probe that arrives', () => deafAtFirst.live, 10_000);
      assert.equal(probes, 3);
      assert.ok(told.every((change) => change === null), 'a probe is not told to listeners as a change');
      await cache.get('k', async () => ++reads);
      await cache.get('k', async () => ++reads);
      assert.equal(reads, 3, 'live, the cache keeps values again');
    } finally {
      await deafAtFirst.beforeApplicationShutdown();
    }
  });

  it('caches nothing without a feed (embedded storage, or listening switched off)', async () => {
    let reads = 0;
    const cache = new NotifiedCache<number>(new NoConfigChanges(), () => null);
    await cache.get('k', async () => ++reads);
    await cache.get('k', async () => ++reads);
    assert.equal(reads, 2);
  });
});
