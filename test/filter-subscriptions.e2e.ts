import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ApiClient } from './support/api-client';
import { assertApiError } from './support/api-error';
import { createEndpoint, FAST_RETRY, sendEvent, settledDeliveries } from './support/fixtures';
import { Receiver } from './support/receiver';
import { TestCaravan, TestProject } from './support/test-caravan';

describe('filtering subscriptions by event data and headers (real api, agent and receiver)', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  let project: TestProject;
  let api: ApiClient;
  let base: string;

  before(async () => {
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    await caravan.startApi();
    await caravan.startAgent();
    project = await caravan.createProject({ retry: FAST_RETRY });
    api = project.client;
    base = `/api/v1/projects/${project.id}`;
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
  });

  async function filteredEndpoint(path: string, eventTypes: string[], filter?: unknown): Promise<string> {
    const endpoint = await createEndpoint(api, project.id, { url: receiver.url(path) });
    const created = await api.post(`${base}/subscriptions`, {
      endpoint_id: endpoint.id,
      event_types: eventTypes,
      filter,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.filter, filter ?? null);
    return endpoint.id;
  }

  async function routedTo(event: { id: string }): Promise<string[]> {
    const deliveries = await settledDeliveries(api, project.id, event.id);
    assert.ok(
      deliveries.every((delivery) => delivery.status === 'success'),
      JSON.stringify(deliveries),
    );
    return deliveries.map((delivery) => delivery.endpoint_id).sort();
  }

  it('broadcasts each event only to the endpoints whose event types and filters it passes', async () => {
    const orders = ['order.*'];
    const big = await filteredEndpoint('/f/big', orders, { body: { amount: { $gte: 100 } } });
    const vip = await filteredEndpoint('/f/vip', orders, {
      body: { 'customer.tier': { $in: ['gold', 'platinum'] } },
    });
    const either = await filteredEndpoint('/f/either', orders, {
      body: { $or: [{ currency: 'USD' }, { 'customer.tier': 'platinum' }] },
    });
    const sku = await filteredEndpoint('/f/sku', orders, { body: { 'items.sku': 'A1' } });
    const europe = await filteredEndpoint('/f/eu', orders, { headers: { 'X-Region': 'eu' } });
    const both = await filteredEndpoint('/f/both', orders, {
      body: { amount: { $gt: 120, $lt: 200 } },
      headers: { 'x-region': { $regex: '^e' } },
    });
    const everything = await filteredEndpoint('/f/all', ['*']);

    const gold = await sendEvent(api, project.id, {
      event_type: 'order.created',
      data: {
        amount: 150,
        currency: 'EUR',
        customer: { tier: 'gold' },
        items: [{ sku: 'B2' }, { sku: 'A1' }],
      },
      custom_headers: { 'X-Region': 'eu' },
    });
    const small = await sendEvent(api, project.id, {
      event_type: 'order.updated',
      data: { amount: 50, currency: 'USD', customer: { tier: 'silver' }, items: [{ sku: 'C3' }] },
      custom_headers: { 'x-region': 'eu' },
    });
    const platinum = await sendEvent(api, project.id, {
      event_type: 'order.created',
      data: { amount: 100, currency: 'EUR', customer: { tier: 'platinum' }, items: [] },
      custom_headers: { 'X-REGION': 'us' },
    });
    const noMatch = await sendEvent(api, project.id, {
      event_type: 'order.created',
      data: { amount: '500', currency: 'GBP', customer: { tier: 'bronze' }, items: { sku: 'A2' } },
    });
    const otherType = await sendEvent(api, project.id, {
      event_type: 'user.created',
      data: { amount: 1000, customer: { tier: 'gold' }, items: [{ sku: 'A1' }] },
      custom_headers: { 'X-Region': 'eu' },
    });

    assert.deepEqual(await routedTo(gold), [big, vip, sku, europe, both, everything].sort());
    assert.deepEqual(
      await routedTo(small),
      [either, europe, everything].sort(),
      'header names match case-insensitively',
    );
    assert.deepEqual(await routedTo(platinum), [big, vip, either, everything].sort());
    assert.deepEqual(await routedTo(noMatch), [everything], 'a string amount is not compared with a number');
    assert.deepEqual(await routedTo(otherType), [everything], 'filters never widen the event types');

    const received = (path: string) =>
      receiver
        .requestsFor(path)
        .map((request) => request.headers['x-caravan-event-id'])
        .sort();
    assert.deepEqual(received('/f/big'), [gold.id, platinum.id].sort());
    assert.deepEqual(received('/f/vip'), [gold.id, platinum.id].sort());
    assert.deepEqual(received('/f/either'), [small.id, platinum.id].sort());
    assert.deepEqual(received('/f/sku'), [gold.id]);
    assert.deepEqual(received('/f/eu'), [gold.id, small.id].sort());
    assert.deepEqual(received('/f/both'), [gold.id]);
    assert.equal(received('/f/all').length, 5);
  });

  it('stores, shows, replaces and clears a filter, and routing follows each change at once', async () => {
    // A project of its own, so the catch-all subscription of the test above does not route here.
    const own = await caravan.createProject({ retry: FAST_RETRY });
    const client = own.client;
    const endpoint = await createEndpoint(client, own.id, { url: receiver.url('/f/changing') });
    const filter = { body: { 'data.status': 'paid' }, headers: { 'X-Tenant': { $exist: true } } };
    const subscriptions = `/api/v1/projects/${own.id}/subscriptions`;
    const created = await client.post(subscriptions, {
      endpoint_id: endpoint.id,
      event_types: ['invoice.*'],
      filter,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const path = `${subscriptions}/${created.body.id}`;
    assert.deepEqual((await client.get(path)).body.filter, filter);
    const send = (status: string) =>
      sendEvent(client, own.id, {
        event_type: 'invoice.changed',
        data: { data: { status } },
        custom_headers: { 'x-tenant': 't' },
      });
    const targetsOf = async (event: { id: string }) =>
      (await settledDeliveries(client, own.id, event.id)).map((d) => d.endpoint_id);

    assert.deepEqual(await targetsOf(await send('paid')), [endpoint.id]);
    assert.deepEqual(await targetsOf(await send('open')), []);

    const replaced = await client.patch(path, {
      filter: { body: { 'data.status': { $in: ['open', 'void'] } } },
    });
    assert.equal(replaced.status, 200, JSON.stringify(replaced.body));
    assert.deepEqual(
      replaced.body.filter,
      { body: { 'data.status': { $in: ['open', 'void'] } } },
      'a patch replaces the whole filter',
    );
    assert.deepEqual(await targetsOf(await send('paid')), []);
    assert.deepEqual(await targetsOf(await send('open')), [endpoint.id]);

    const renamed = await client.patch(path, { name: 'renamed' });
    assert.deepEqual(renamed.body.filter, replaced.body.filter, 'a patch without filter keeps it');

    const cleared = await client.patch(path, { filter: null });
    assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
    assert.equal(cleared.body.filter, null);
    assert.equal((await client.get(path)).body.filter, null);
    assert.deepEqual(await targetsOf(await send('paid')), [endpoint.id]);
  });

  describe('invalid filters answer 400 naming the field', () => {
    const cases: { what: string; filter: unknown; field: string; message: RegExp }[] = [
      {
        what: 'an unknown operator',
        filter: { body: { 'data.amount': { $gtx: 1 } } },
        field: 'filter.body.data.amount.$gtx',
        message: /unknown filter operator "\$gtx"/,
      },
      {
        what: 'an operator inside a nested object',
        filter: { body: { data: { amount: { $gte: 1 } } } },
        field: 'filter.body.data.amount.$gte',
        message: /dotted path/,
      },
      {
        what: '$or that is not an array',
        filter: { body: { $or: { a: 1 } } },
        field: 'filter.body.$or',
        message: /\$or must be/,
      },
      {
        what: '$in without an array',
        filter: { body: { tier: { $in: 'gold' } } },
        field: 'filter.body.tier.$in',
        message: /\$in must be an array/,
      },
      {
        what: 'a regex that does not compile',
        filter: { headers: { 'X-Tenant': { $regex: '([a-z' } } },
        field: 'filter.headers.X-Tenant.$regex',
        message: /not a valid regular expression/,
      },
      {
        what: 'a catastrophic regex',
        filter: { body: { name: { $regex: '(a+)+$' } } },
        field: 'filter.body.name.$regex',
        message: /exponential/,
      },
      {
        what: 'an empty path segment',
        filter: { body: { 'a..b': 1 } },
        field: 'filter.body.a..b',
        message: /empty segment/,
      },
      {
        what: 'a body filter that is an array',
        filter: { body: [{ a: 1 }] },
        field: 'filter.body',
        message: /filter\.body must be a JSON object/,
      },
      {
        what: 'an unknown part',
        filter: { bodies: { a: 1 } },
        field: 'filter.bodies',
        message: /unknown field "bodies"/,
      },
      {
        what: 'a filter that is a string',
        filter: 'amount > 5',
        field: 'filter',
        message: /filter must be an object/,
      },
    ];

    for (const { what, filter, field, message } of cases) {
      it(`${what}: ${field}, on create, on update and on test_filter`, async () => {
        const endpoint = await createEndpoint(api, project.id, { url: receiver.url('/f/never') });
        const created = await api.post(`${base}/subscriptions`, { endpoint_id: endpoint.id, filter });
        assertApiError(created, { status: 400, field, message }, 'create');

        const valid = await api.post(`${base}/subscriptions`, {
          endpoint_id: endpoint.id,
          filter: { body: { a: 1 } },
        });
        assert.equal(valid.status, 201, JSON.stringify(valid.body));
        const path = `${base}/subscriptions/${valid.body.id}`;
        assertApiError(await api.patch(path, { filter }), { status: 400, field, message }, 'update');
        assert.deepEqual(
          (await api.get(path)).body.filter,
          { body: { a: 1 } },
          'a refused patch changes nothing',
        );

        const tested = await api.post(`${base}/subscriptions/test_filter`, { filter, payload: { body: {} } });
        assertApiError(tested, { status: 400, field, message }, 'test_filter');
      });
    }

    it('refuses a subscription whose filter is nested too deep', async () => {
      const endpoint = await createEndpoint(api, project.id, { url: receiver.url('/f/never') });
      let body: Record<string, unknown> = { a: 1 };
      for (let level = 0; level < 12; level++) body = { $and: [body] };
      const created = await api.post(`${base}/subscriptions`, { endpoint_id: endpoint.id, filter: { body } });
      assertApiError(created, {
        status: 400,
        field: `filter.body${'.$and.0'.repeat(10)}`,
        message: /nested deeper than 20 levels/,
      });
    });
  });

  describe('POST /subscriptions/test_filter', () => {
    const payload = {
      body: { amount: 150, customer: { tier: 'gold' }, items: [{ sku: 'A1' }, { sku: 'B2' }] },
      headers: { 'X-Tenant': 'acme' },
    };
    const cases: [string, unknown, boolean][] = [
      ['a matching body filter', { body: { amount: { $gte: 100 } } }, true],
      ['a body filter that does not match', { body: { amount: { $lt: 100 } } }, false],
      ['an array element match', { body: { 'items.sku': 'B2' } }, true],
      [
        '$or with one matching branch',
        { body: { $or: [{ 'customer.tier': 'silver' }, { 'items.sku': 'A1' }] } },
        true,
      ],
      ['a header filter in another case', { headers: { 'x-tenant': { $in: ['acme'] } } }, true],
      ['a header filter that does not match', { headers: { 'X-Tenant': 'globex' } }, false],
      [
        'body and headers that both must match',
        { body: { amount: 150 }, headers: { 'X-Tenant': 'globex' } },
        false,
      ],
      ['an empty filter', {}, true],
    ];
    for (const [what, filter, matches] of cases) {
      it(`answers 200 { matches: ${matches} } for ${what}`, async () => {
        const response = await api.post(`${base}/subscriptions/test_filter`, { filter, payload });
        assert.equal(response.status, 200, JSON.stringify(response.body));
        assert.deepEqual(response.body, { matches });
      });
    }

    it('answers 400 without a payload, and for a payload whose headers are not an object', async () => {
      assertApiError(await api.post(`${base}/subscriptions/test_filter`, { filter: {} }), {
        status: 400,
        field: 'payload',
      });
      assertApiError(
        await api.post(`${base}/subscriptions/test_filter`, { filter: {}, payload: { headers: 'x' } }),
        {
          status: 400,
          field: 'payload.headers',
        },
      );
    });

    it("answers 404 for another project's id, and is listed in the OpenAPI document", async () => {
      const other = await caravan.createProject();
      const response = await api.post(`/api/v1/projects/${other.id}/subscriptions/test_filter`, {
        filter: {},
        payload: {},
      });
      assertApiError(response, { status: 404, field: 'project_id', message: 'project not found' });
      const document = await new ApiClient(api.baseUrl).get('/docs/openapi.json');
      const route = document.body.paths['/api/v1/projects/{project_id}/subscriptions/test_filter'];
      assert.ok(route?.post, 'POST .../subscriptions/test_filter is documented');
      assert.ok(route.post.responses['200'], 'with its 200 answer');
    });
  });
});
