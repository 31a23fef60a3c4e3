import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { TemporaryDatabase } from '@caravan/database';
import type { Event } from '@caravan/events';
import { DeliveryAttempt } from '../entities/delivery-attempt.entity';
import { EventDelivery } from '../entities/event-delivery.entity';
import { DeliveryRepository } from './delivery.repository';

interface Row {
  status: string;
  attempt_count: number;
  /** Seconds from now to next_attempt_at. */
  due_in: number;
}

describe('deliveries created claimed for their first attempt (local PostgreSQL)', () => {
  let database: TemporaryDatabase;
  let deliveries: DeliveryRepository;
  const projectId = randomUUID();
  const endpointId = randomUUID();

  before(async () => {
    database = await TemporaryDatabase.create([EventDelivery, DeliveryAttempt]);
    const { db } = database;
    deliveries = new DeliveryRepository(db.getRepository(EventDelivery), db.getRepository(DeliveryAttempt), db);
    await db.query(`INSERT INTO projects (id, name, config) VALUES ($1, 'p', '{}')`, [projectId]);
    await db.query(
      `INSERT INTO endpoints (id, project_id, name, url, secrets, http_timeout_seconds) VALUES ($1, $2, 'e', 'https://example.com', '[]', 20)`,
      [endpointId, projectId],
    );
  });

  after(() => database.drop());

  async function newEvent(): Promise<string> {
    const id = randomUUID();
    await database.db.query(`INSERT INTO events (id, project_id, event_type, payload) VALUES ($1, $2, 'x', '{}')`, [id, projectId]);
    return id;
  }

  async function row(deliveryId: string): Promise<Row> {
    const [found]: Row[] = await database.db.query(
      `SELECT status, attempt_count, extract(epoch FROM next_attempt_at - now())::float8 AS due_in FROM event_deliveries WHERE id = $1`,
      [deliveryId],
    );
    return found;
  }

  it('creates them claimed for attempt 1 for the endpoint timeout plus the time asked, with the event marked routed', async () => {
    const eventId = await newEvent();
    const [created] = await deliveries.insertMissing(projectId, eventId, [{ endpointId, subscriptionId: null }], 30_000);
    const stored = await row(created.id);
    assert.equal(stored.status, 'processing');
    assert.equal(stored.attempt_count, 1);
    assert.ok(stored.due_in > 45 && stored.due_in <= 50, `the claim lasts 20 s + 30 s (${stored.due_in} s left)`);
    const [event]: { routed_at: Date | null }[] = await database.db.query(`SELECT routed_at FROM events WHERE id = $1`, [eventId]);
    assert.ok(event.routed_at);
    assert.equal(await deliveries.claim(projectId, created.id, 1000), null, 'nobody else can claim it meanwhile');
  });

  it('creates them due, with no attempt counted, when no claim is asked for', async () => {
    const [created] = await deliveries.insertMissing(projectId, await newEvent(), [{ endpointId, subscriptionId: null }], null);
    const stored = await row(created.id);
    assert.equal(stored.status, 'scheduled');
    assert.equal(stored.attempt_count, 0);
    assert.ok(stored.due_in <= 0);
  });

  it('takes a handed-back claim back to due with no attempt counted, so the next claim is attempt 1', async () => {
    const [created] = await deliveries.insertMissing(projectId, await newEvent(), [{ endpointId, subscriptionId: null }], 30_000);
    await deliveries.releaseClaims([{ projectId, id: created.id }]);
    const stored = await row(created.id);
    assert.equal(stored.status, 'scheduled');
    assert.equal(stored.attempt_count, 0);
    assert.ok(stored.due_in <= 0);
    const claimed = await deliveries.claim(projectId, created.id, 1000);
    assert.equal(claimed?.attemptCount, 1);
  });

  it('stores events routed as ingest stores them: each with its deliveries claimed for attempt 1, or none', async () => {
    const event = (eventType: string) =>
      ({ id: randomUUID(), projectId, eventType, payload: '{"n":1}', customHeaders: { 'x-a': '1' }, endpointId: null, ownerId: null, sourceId: null }) as unknown as Event;
    const [toOne, toNobody] = [event('one'), event('nobody')];
    const stored = await deliveries.insertRoutedEvents([toOne, toNobody], [[{ endpointId, subscriptionId: null }], []], 30_000);

    assert.equal(stored.length, 2);
    assert.ok(stored[0].createdAt instanceof Date && stored[1].createdAt instanceof Date);
    assert.deepEqual(stored[1].deliveries, []);
    const [created] = stored[0].deliveries;
    assert.equal(created.endpointId, endpointId);
    const row0 = await row(created.id);
    assert.equal(row0.status, 'processing');
    assert.equal(row0.attempt_count, 1);
    assert.ok(row0.due_in > 45 && row0.due_in <= 50, `the claim lasts 20 s + 30 s (${row0.due_in} s left)`);
    const events: { id: string; routed_at: Date | null; custom_headers: unknown }[] = await database.db.query(
      `SELECT id, routed_at, custom_headers FROM events WHERE id = ANY($1::uuid[])`,
      [[toOne.id, toNobody.id]],
    );
    assert.equal(events.length, 2);
    assert.ok(events.every((stored) => stored.routed_at !== null), 'both are routed, the one for nobody too');
    assert.deepEqual(events[0].custom_headers, { 'x-a': '1' });
  });

  it('stores nothing of a batch when one of its events cannot be stored', async () => {
    const good = { id: randomUUID(), projectId, eventType: 'x', payload: '{}', customHeaders: null, endpointId: null, ownerId: null, sourceId: null } as unknown as Event;
    const orphan = { ...good, id: randomUUID(), projectId: randomUUID() } as unknown as Event;
    await assert.rejects(deliveries.insertRoutedEvents([good, orphan], [[{ endpointId, subscriptionId: null }], []], 30_000));
    const [{ n }]: { n: number }[] = await database.db.query(`SELECT count(*)::int AS n FROM events WHERE id = $1`, [good.id]);
    assert.equal(n, 0);
  });

  it('leaves alone a claim whose lock ran out, which another agent may hold by now, and claims of another project', async () => {
    const [expired] = await deliveries.insertMissing(projectId, await newEvent(), [{ endpointId, subscriptionId: null }], 30_000);
    await database.db.query(`UPDATE event_deliveries SET next_attempt_at = now() - interval '1 second' WHERE id = $1`, [expired.id]);
    const [held] = await deliveries.insertMissing(projectId, await newEvent(), [{ endpointId, subscriptionId: null }], 30_000);
    await deliveries.releaseClaims([
      { projectId, id: expired.id },
      { projectId: randomUUID(), id: held.id },
    ]);
    assert.equal((await row(expired.id)).status, 'processing');
    assert.equal((await row(held.id)).status, 'processing');
  });
});
