import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ApiResponse } from './support/api-client';
import { assertApiError } from './support/api-error';
import { createEndpoint, FAST_RETRY, sendEvent, settledDeliveries, subscribe } from './support/fixtures';
import { Receiver } from './support/receiver';
import { TestCaravan, TestProject } from './support/test-caravan';
import { waitFor } from './support/wait-for';

/**
 * Searching events and deliveries: each filter alone and combined returns exactly the expected
 * rows, newest first, page after page, never another project's; bad values answer 400 naming the
 * field. The latency on a million events is measured by `npm run bench:search`, not here.
 */
describe('searching events and deliveries (every filter returns exactly the expected rows)', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  let project: TestProject;
  let other: TestProject;
  const endpoints: Record<'orders' | 'invoices' | 'direct' | 'deleted', string> = { orders: '', invoices: '', direct: '', deleted: '' };
  let sourceId = '';
  /** The project's events by name, in the order they were sent. */
  const ev: Record<string, { id: string; created_at: string }> = {};
  /** The project's deliveries by name. */
  const dl: Record<string, { id: string; created_at: string; status: string }> = {};
  let otherEventId = '';

  const eventsPath = () => `/api/v1/projects/${project.id}/events`;
  const deliveriesPath = () => `/api/v1/projects/${project.id}/deliveries`;

  /** The ids of one page (limit 100), asserting there is no other. */
  async function ids(path: string, query: string, client = project.client): Promise<string[]> {
    const response = await client.get(`${path}?limit=100${query ? `&${query}` : ''}`);
    assert.equal(response.status, 200, `${query}: ${JSON.stringify(response.body)}`);
    assert.equal(response.body.next_cursor, null, query);
    return response.body.data.map((row: { id: string }) => row.id);
  }

  /** Every page, following next_cursor, as lists of ids. */
  async function pages(path: string, query: string, limit: number): Promise<string[][]> {
    const result: string[][] = [];
    let cursor: string | null = null;
    do {
      const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response: ApiResponse = await project.client.get(`${path}?limit=${limit}&${query}${after}`);
      assert.equal(response.status, 200, `${query}: ${JSON.stringify(response.body)}`);
      result.push(response.body.data.map((row: { id: string }) => row.id));
      cursor = response.body.next_cursor;
      assert.ok(result.length <= 10, 'pagination ends');
    } while (cursor);
    return result;
  }

  const events = (query: string) => ids(eventsPath(), query);
  const deliveries = (query: string) => ids(deliveriesPath(), query);
  const names = (record: Record<string, { id: string }>, ...keys: string[]) => keys.map((key) => record[key].id);
  const json = (value: unknown) => `data=${encodeURIComponent(JSON.stringify(value))}`;
  const text = (value: string) => `q=${encodeURIComponent(value)}`;
  const at = (time: string) => encodeURIComponent(time);

  /** Sends an event once the clock has moved past the previous one, so created_at orders them strictly. */
  async function send(name: string, body: Record<string, unknown>): Promise<void> {
    const previous = Object.values(ev).at(-1);
    if (previous) await waitFor('the clock to move on', () => Date.now() > Date.parse(previous.created_at) + 5);
    ev[name] = await sendEvent(project.client, project.id, body);
  }

  before(async () => {
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    receiver.answer((request) => (request.path.startsWith('/fail') ? { status: 500, body: 'no' } : { status: 200, body: 'ok' }));
    await caravan.startApi();
    await caravan.startAgent();
    project = await caravan.createProject({ retry: FAST_RETRY });
    other = await caravan.createProject();
    const client = project.client;
    endpoints.orders = (await createEndpoint(client, project.id, { url: receiver.url('/orders'), owner_id: 'acme' })).id;
    endpoints.invoices = (
      await createEndpoint(client, project.id, { url: receiver.url('/fail'), owner_id: 'acme', retry: { retry_count: 0 } })
    ).id;
    endpoints.direct = (await createEndpoint(client, project.id, { url: receiver.url('/direct'), owner_id: 'globex' })).id;
    endpoints.deleted = (await createEndpoint(client, project.id, { url: receiver.url('/gone') })).id;
    await subscribe(client, project.id, endpoints.orders, ['order.*']);
    await subscribe(client, project.id, endpoints.invoices, ['invoice.*']);
    const source = await client.post(`/api/v1/projects/${project.id}/sources`, {
      name: 'shop',
      verifier: { type: 'none' },
      mapping: { event_type_path: 'type' },
    });
    assert.equal(source.status, 201, JSON.stringify(source.body));
    sourceId = source.body.id;

    // Each event is routed and its deliveries settled before the next, so deliveries are created in event order.
    const settle = async (name: string) => settledDeliveries(client, project.id, ev[name].id);
    await send('rush', {
      event_type: 'order.created',
      data: { customer: { id: 'c_1', tier: 'gold' }, note: 'Rush delivery to Lisbon' },
      owner_id: 'acme',
      idempotency_key: 'k-1',
    });
    await settle('rush');
    await send('invoice', { event_type: 'invoice.paid', data: { customer: { id: 'c_2' }, amount: 4200, items: [{ sku: 'A1' }, { sku: 'B2' }] } });
    await settle('invoice');
    await send('boat', {
      event_type: 'order.shipped',
      data: { customer: { id: 'c_1' }, note: 'shipped by boat to Lisbon' },
      endpoint_id: endpoints.direct,
    });
    await settle('boat');
    // Owner globex has no subscription: no delivery.
    await send('voided', { event_type: 'invoice.voided', data: { customer: { id: 'c_3', tier: 'gold' } }, owner_id: 'globex' });
    await settle('voided');
    await waitFor('the clock to move on', () => Date.now() > Date.parse(ev.voided.created_at) + 5);
    const ingested = await fetch(`${caravan.api!.url}/ingest/${source.body.mask_id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'order.created', customer: { id: 'c_4' } }),
    });
    assert.equal(ingested.status, 200, await ingested.text());
    const fromSource = (await client.get(`${eventsPath()}?limit=1`)).body.data[0];
    assert.equal(fromSource.source_id, sourceId);
    ev.ingested = fromSource;
    await send('plain', { event_type: 'order.created', data: { customer: { id: 'c_1' } } });
    await settle('plain');
    // Addressed to an endpoint deleted afterwards: its delivery goes with it, the event stays findable by endpoint.
    await send('orphan', { event_type: 'ping', data: { n: 1 }, endpoint_id: endpoints.deleted });
    await settle('orphan');
    assert.equal((await client.delete(`/api/v1/projects/${project.id}/endpoints/${endpoints.deleted}`)).status, 204);

    for (const [name, endpoint] of [
      ['rush', endpoints.orders],
      ['invoice', endpoints.invoices],
      ['boat', endpoints.direct],
      ['plain', endpoints.orders],
    ] as const) {
      const [delivery] = (await client.get(`${deliveriesPath()}?event_id=${ev[name].id}&endpoint_id=${endpoint}`)).body.data;
      assert.ok(delivery, `a delivery of ${name}`);
      dl[name] = delivery;
    }
    assert.deepEqual(await deliveries(''), [dl.plain, dl.boat, dl.invoice, dl.rush].map((d) => d.id), 'one delivery per routed event');

    // The other project holds look-alikes of every value searched for: none may ever show up.
    const look = await sendEvent(other.client, other.id, {
      event_type: 'order.created',
      data: { customer: { id: 'c_1', tier: 'gold' }, note: 'Rush delivery to Lisbon' },
      owner_id: 'acme',
      idempotency_key: 'k-1',
    });
    otherEventId = look.id;
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
  });

  describe('events', () => {
    it('lists every event newest first without filters', async () => {
      assert.deepEqual(await events(''), names(ev, 'orphan', 'plain', 'ingested', 'voided', 'boat', 'invoice', 'rush'));
    });

    it('filters by one event type, or several comma-separated or repeated', async () => {
      assert.deepEqual(await events('event_type=order.created'), names(ev, 'plain', 'ingested', 'rush'));
      assert.deepEqual(await events('event_type=order.created,invoice.paid'), names(ev, 'plain', 'ingested', 'invoice', 'rush'));
      assert.deepEqual(await events('event_type=order.created&event_type=invoice.paid'), names(ev, 'plain', 'ingested', 'invoice', 'rush'));
      assert.deepEqual(await events('event_type=order.cancelled'), []);
    });

    it('filters by endpoint: events with a delivery to it, and events addressed to it', async () => {
      assert.deepEqual(await events(`endpoint_id=${endpoints.orders}`), names(ev, 'plain', 'rush'), 'routed by subscription');
      assert.deepEqual(await events(`endpoint_id=${endpoints.invoices}`), names(ev, 'invoice'));
      assert.deepEqual(await events(`endpoint_id=${endpoints.direct}`), names(ev, 'boat'), 'addressed and delivered: once');
      assert.deepEqual(await events(`endpoint_id=${endpoints.deleted}`), names(ev, 'orphan'), 'addressed, delivery gone');
      assert.deepEqual(await events('endpoint_id=00000000-0000-7000-8000-000000000000'), []);
    });

    it('filters by owner_id, source_id and idempotency_key', async () => {
      assert.deepEqual(await events('owner_id=acme'), names(ev, 'rush'));
      assert.deepEqual(await events('owner_id=globex'), names(ev, 'voided'));
      assert.deepEqual(await events('owner_id=nobody'), []);
      assert.deepEqual(await events(`source_id=${sourceId}`), names(ev, 'ingested'));
      assert.deepEqual(await events('idempotency_key=k-1'), names(ev, 'rush'));
      assert.deepEqual(await events('idempotency_key=k-2'), []);
    });

    it('filters by created_after (inclusive) and created_before (exclusive)', async () => {
      assert.deepEqual(await events(`created_after=${at(ev.boat.created_at)}&created_before=${at(ev.plain.created_at)}`), names(ev, 'ingested', 'voided', 'boat'));
      assert.deepEqual(await events(`created_after=${at(ev.plain.created_at)}`), names(ev, 'orphan', 'plain'));
      assert.deepEqual(await events(`created_before=${at(ev.invoice.created_at)}`), names(ev, 'rush'));
    });

    it('searches the payload by words (q): whole words, any case, "phrases", -exclusions, or', async () => {
      assert.deepEqual(await events(text('lisbon')), names(ev, 'boat', 'rush'));
      assert.deepEqual(await events(text('LISBON')), names(ev, 'boat', 'rush'));
      assert.deepEqual(await events(text('"rush delivery"')), names(ev, 'rush'));
      assert.deepEqual(await events(text('"delivery rush"')), [], 'a phrase keeps its order');
      assert.deepEqual(await events(text('lisbon -boat')), names(ev, 'rush'));
      assert.deepEqual(await events(text('boat or rush')), names(ev, 'boat', 'rush'));
      assert.deepEqual(await events(text('c_4')), names(ev, 'ingested'), 'an identifier as one phrase');
      assert.deepEqual(await events(text('lisb')), [], 'whole words only');
    });

    it('filters by JSON containment on data: nested objects, array elements, numbers', async () => {
      assert.deepEqual(await events(json({ customer: { id: 'c_1' } })), names(ev, 'plain', 'boat', 'rush'));
      assert.deepEqual(await events(json({ customer: { tier: 'gold' } })), names(ev, 'voided', 'rush'));
      assert.deepEqual(await events(json({ items: [{ sku: 'B2' }] })), names(ev, 'invoice'));
      assert.deepEqual(await events(json({ amount: 4200 })), names(ev, 'invoice'));
      assert.deepEqual(await events(json({ amount: 4201 })), []);
      assert.deepEqual(await events(json({ customer: { id: 'c_1', tier: 'silver' } })), []);
    });

    it('combines filters (AND)', async () => {
      assert.deepEqual(await events(`event_type=order.created&${json({ customer: { id: 'c_1' } })}`), names(ev, 'plain', 'rush'));
      assert.deepEqual(await events(`endpoint_id=${endpoints.orders}&${text('lisbon')}`), names(ev, 'rush'));
      assert.deepEqual(await events(`endpoint_id=${endpoints.direct}&event_type=order.created`), []);
      assert.deepEqual(await events(`owner_id=acme&idempotency_key=k-1&${text('rush')}&${json({ customer: { tier: 'gold' } })}`), names(ev, 'rush'));
      assert.deepEqual(await events(`endpoint_id=${endpoints.orders}&created_after=${at(ev.invoice.created_at)}`), names(ev, 'plain'));
    });

    it('pages through filtered results with the cursor, each row once', async () => {
      assert.deepEqual(await pages(eventsPath(), 'event_type=order.created', 2), [names(ev, 'plain', 'ingested'), names(ev, 'rush')]);
      assert.deepEqual(await pages(eventsPath(), `endpoint_id=${endpoints.orders}`, 1), [names(ev, 'plain'), names(ev, 'rush')]);
      assert.deepEqual(await pages(eventsPath(), json({ customer: { id: 'c_1' } }), 2), [names(ev, 'plain', 'boat'), names(ev, 'rush')]);
      assert.deepEqual(await pages(eventsPath(), text('lisbon'), 1), [names(ev, 'boat'), names(ev, 'rush')]);
      assert.deepEqual(
        await pages(eventsPath(), `created_after=${at(ev.invoice.created_at)}&created_before=${at(ev.orphan.created_at)}`, 2),
        [names(ev, 'plain', 'ingested'), names(ev, 'voided', 'boat'), names(ev, 'invoice')],
      );
    });

    it("never returns another project's events, and finds the other project's own", async () => {
      const everyFilter = ['owner_id=acme', 'idempotency_key=k-1', text('lisbon'), json({ customer: { id: 'c_1' } }), 'event_type=order.created'];
      for (const query of everyFilter) assert.ok(!(await events(query)).includes(otherEventId), query);
      for (const query of everyFilter) assert.deepEqual(await ids(`/api/v1/projects/${other.id}/events`, query, other.client), [otherEventId], query);
      assert.deepEqual(await ids(`/api/v1/projects/${other.id}/events`, `endpoint_id=${endpoints.orders}`, other.client), []);
    });
  });

  describe('payloads jsonb cannot hold', () => {
    it('stores and lists an event whose data holds \\u0000 or a lone surrogate, which q and data then never match', async () => {
      // Valid JSON for Caravan (JSON.parse reads it), refused by PostgreSQL's jsonb: the search indexes must not fail its INSERT.
      const body = '{"event_type":"odd.payload","data":{"note":"lisbon \\u0000 and \\ud800","n":7}}';
      const created = await project.client.post(eventsPath(), body);
      assert.equal(created.status, 202, JSON.stringify(created.body));
      assert.equal(created.body.data.note, 'lisbon \u0000 and \ud800');
      assert.deepEqual(await events('event_type=odd.payload'), [created.body.id]);
      assert.deepEqual(await events(`event_type=odd.payload&${text('lisbon')}`), []);
      assert.deepEqual(await events(`event_type=odd.payload&${json({ n: 7 })}`), []);
      assert.deepEqual(await events(text('lisbon')), names(ev, 'boat', 'rush'), 'other events are still found');
    });
  });

  describe('deliveries', () => {
    it('filters by status, endpoint_id and event_id', async () => {
      assert.equal(dl.invoice.status, 'failure');
      assert.deepEqual(await deliveries('status=failure'), names(dl, 'invoice'));
      assert.deepEqual(await deliveries('status=success'), names(dl, 'plain', 'boat', 'rush'));
      assert.deepEqual(await deliveries('status=success,failure'), names(dl, 'plain', 'boat', 'invoice', 'rush'));
      assert.deepEqual(await deliveries(`endpoint_id=${endpoints.orders}`), names(dl, 'plain', 'rush'));
      assert.deepEqual(await deliveries(`event_id=${ev.boat.id}`), names(dl, 'boat'));
    });

    it("filters by the event's type and idempotency key", async () => {
      assert.deepEqual(await deliveries('event_type=order.created'), names(dl, 'plain', 'rush'));
      assert.deepEqual(await deliveries('event_type=order.shipped,invoice.paid'), names(dl, 'boat', 'invoice'));
      assert.deepEqual(await deliveries('event_type=invoice.voided'), []);
      assert.deepEqual(await deliveries('idempotency_key=k-1'), names(dl, 'rush'));
      assert.deepEqual(await deliveries('idempotency_key=k-2'), []);
    });

    it("filters by owner: deliveries to that owner's endpoints", async () => {
      assert.deepEqual(await deliveries('owner_id=acme'), names(dl, 'plain', 'invoice', 'rush'));
      assert.deepEqual(await deliveries('owner_id=globex'), names(dl, 'boat'));
      assert.deepEqual(await deliveries('owner_id=nobody'), []);
      assert.deepEqual(await deliveries(`owner_id=acme&endpoint_id=${endpoints.invoices}`), names(dl, 'invoice'));
      assert.deepEqual(await deliveries(`owner_id=globex&endpoint_id=${endpoints.orders}`), []);
    });

    it('filters by created_after (inclusive) and created_before (exclusive)', async () => {
      assert.deepEqual(await deliveries(`created_after=${at(dl.invoice.created_at)}&created_before=${at(dl.plain.created_at)}`), names(dl, 'boat', 'invoice'));
      assert.deepEqual(await deliveries(`created_after=${at(dl.plain.created_at)}`), names(dl, 'plain'));
    });

    it('combines filters and pages through them', async () => {
      assert.deepEqual(await deliveries('status=success&owner_id=acme'), names(dl, 'plain', 'rush'));
      assert.deepEqual(await deliveries('status=failure&event_type=order.created'), []);
      assert.deepEqual(await pages(deliveriesPath(), 'owner_id=acme', 2), [names(dl, 'plain', 'invoice'), names(dl, 'rush')]);
      assert.deepEqual(await pages(deliveriesPath(), 'event_type=order.created,order.shipped&status=success', 1), [
        names(dl, 'plain'),
        names(dl, 'boat'),
        names(dl, 'rush'),
      ]);
    });
  });

  describe('invalid filters answer 400 naming the field', () => {
    const cases: [string, string, string][] = [
      ['events', 'data=not-json', 'data'],
      ['events', `data=${encodeURIComponent('[1,2]')}`, 'data'],
      ['events', `data=${encodeURIComponent('"text"')}`, 'data'],
      ['events', `data=${encodeURIComponent('{}')}`, 'data'],
      ['events', `data=${encodeURIComponent('{"a":"\\u0000"}')}`, 'data'],
      ['events', `data=${encodeURIComponent('{"a":"\\ud800"}')}`, 'data'],
      ['events', `data=${encodeURIComponent(`{"a":"${'x'.repeat(2000)}"}`)}`, 'data'],
      ['events', 'q=%21%21', 'q'],
      ['events', 'q=a%00', 'q'],
      ['events', `q=${'a'.repeat(501)}`, 'q'],
      ['events', 'endpoint_id=abc', 'endpoint_id'],
      ['events', 'source_id=abc', 'source_id'],
      ['events', 'event_type=not%20a%20type', 'event_type'],
      ['events', 'event_type=a%00', 'event_type'],
      ['events', 'owner_id=a%00', 'owner_id'],
      ['events', `idempotency_key=${'k'.repeat(201)}`, 'idempotency_key'],
      ['events', 'created_after=yesterday', 'created_after'],
      ['events', 'created_before=2024-13-01T00:00:00Z', 'created_before'],
      ['events', 'endpoint_id=abc&q=x', 'endpoint_id'],
      ['deliveries', 'event_type=bad!', 'event_type'],
      ['deliveries', 'status=lost', 'status'],
      ['deliveries', 'owner_id=a%00', 'owner_id'],
      ['deliveries', 'idempotency_key=k%00', 'idempotency_key'],
      ['deliveries', 'created_after=2024-02-30T00:00:00Z', 'created_after'],
      ['deliveries', 'created_before=soon', 'created_before'],
    ];
    for (const [resource, query, field] of cases) {
      it(`${resource}?${query.slice(0, 60)} → 400 ${field}`, async () => {
        const response = await project.client.get(`/api/v1/projects/${project.id}/${resource}?${query}`);
        assertApiError(response, { status: 400, field }, query);
      });
    }

    it('refuses an unknown filter', async () => {
      assertApiError(await project.client.get(`${eventsPath()}?colour=red`), { status: 400, field: 'colour', message: 'unknown field "colour"' });
    });
  });
});
