import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { ApiClient } from './support/api-client';
import { createEndpoint, deliveriesOf, FAST_RETRY, sendEvent, settledDeliveries, subscribe } from './support/fixtures';
import { Receiver, ReceiverReply } from './support/receiver';
import { TestCaravan, TestProject } from './support/test-caravan';
import { waitFor } from './support/wait-for';

describe('delivering events (real Postgres, Redis, api and agent processes, HTTP receiver)', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  let project: TestProject;
  let api: ApiClient;
  const failuresLeft = new Map<string, number>();

  before(async () => {
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    receiver.answer((request): ReceiverReply => {
      if (request.path.startsWith('/always-500')) return { status: 500, body: 'boom' };
      if (request.path.startsWith('/nul-body')) return { status: 200, body: 'before\u0000after', headers: { 'x-odd': 'ok' } };
      if (request.path.startsWith('/redirect')) return { status: 302, headers: { location: receiver.url('/target') } };
      const left = failuresLeft.get(request.path) ?? 0;
      if (left > 0) {
        failuresLeft.set(request.path, left - 1);
        return { status: 503, body: 'try later' };
      }
      return { status: 200, body: `{"received":true}`, headers: { 'content-type': 'application/json' } };
    });
    await caravan.startApi();
    await caravan.startAgent();
    project = await caravan.createProject({ retry: FAST_RETRY });
    api = project.client;
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
  });

  it('sends an event to one endpoint as a signed POST of the exact data, and records the attempt', async () => {
    const secret = 'single-endpoint-secret-0001';
    const endpoint = await createEndpoint(api, project.id, { url: receiver.url('/single'), secret });
    const data = { zeta: 1, alpha: 'ä €', nested: { list: [3, 2, 1] } };
    const event = await sendEvent(api, project.id, {
      event_type: 'invoice.paid',
      data,
      endpoint_id: endpoint.id,
      custom_headers: { 'X-Tenant': 'acme' },
    });

    const [delivery] = await settledDeliveries(api, project.id, event.id);
    assert.equal(delivery.status, 'success');
    const [request] = receiver.requestsFor('/single');
    assert.equal(request.method, 'POST');
    assert.equal(request.body, JSON.stringify(data), 'body is the data, key order kept');
    assert.equal(request.headers['content-type'], 'application/json');
    assert.match(String(request.headers['user-agent']), /^Caravan\/\d+\.\d+\.\d+$/);
    assert.equal(request.headers['x-caravan-event-id'], event.id);
    assert.equal(request.headers['x-caravan-event-type'], 'invoice.paid');
    assert.equal(request.headers['x-caravan-delivery-id'], delivery.id);
    assert.equal(request.headers['x-caravan-attempt'], '1');
    assert.equal(request.headers['x-caravan-idempotency-key'], delivery.id);
    assert.equal(request.headers['x-tenant'], 'acme');
    assert.equal(request.headers['x-caravan-signature'], createHmac('sha256', secret).update(request.body).digest('hex'));

    const detail = await api.get(`/api/v1/projects/${project.id}/deliveries/${delivery.id}`);
    assert.equal(detail.status, 200);
    assert.equal(detail.body.attempt_count, 1);
    assert.equal(detail.body.last_status_code, 200);
    assert.equal(detail.body.attempts.length, 1);
    const [attempt] = detail.body.attempts;
    assert.equal(attempt.attempt_number, 1);
    assert.equal(attempt.request.url, receiver.url('/single'));
    assert.equal(attempt.request.headers['x-caravan-signature'], request.headers['x-caravan-signature']);
    assert.equal(attempt.response.status_code, 200);
    assert.equal(attempt.response.body, '{"received":true}');
    assert.equal(attempt.response.headers['content-type'], 'application/json');
    assert.equal(attempt.error, null);
    assert.ok(attempt.duration_ms >= 0);
  });

  it("fans an owner's event out to each of that owner's endpoints whose subscription matches", async () => {
    const owner = 'owner-fanout';
    const everything = await createEndpoint(api, project.id, { url: receiver.url('/fan/a'), owner_id: owner });
    const invoices = await createEndpoint(api, project.id, { url: receiver.url('/fan/b'), owner_id: owner });
    const users = await createEndpoint(api, project.id, { url: receiver.url('/fan/c'), owner_id: owner });
    const otherOwner = await createEndpoint(api, project.id, { url: receiver.url('/fan/d'), owner_id: 'someone-else' });
    await subscribe(api, project.id, everything.id, ['*']);
    await subscribe(api, project.id, invoices.id, ['invoice.*']);
    await subscribe(api, project.id, users.id, ['user.*']);
    await subscribe(api, project.id, otherOwner.id, ['*']);

    const event = await sendEvent(api, project.id, { event_type: 'invoice.created', data: { n: 1 }, owner_id: owner });
    const deliveries = await settledDeliveries(api, project.id, event.id);
    assert.deepEqual(deliveries.map((d) => d.endpoint_id).sort(), [everything.id, invoices.id].sort());
    assert.ok(deliveries.every((d) => d.status === 'success'));
    assert.equal(receiver.requestsFor('/fan/a').length, 1);
    assert.equal(receiver.requestsFor('/fan/b').length, 1);
    assert.equal(receiver.requestsFor('/fan/c').length, 0);
    assert.equal(receiver.requestsFor('/fan/d').length, 0);
  });

  it('broadcasts an event to every endpoint whose subscription matches, wildcards included', async () => {
    const broadcast = await caravan.createProject({ retry: FAST_RETRY });
    const client = broadcast.client;
    const all = await createEndpoint(client, broadcast.id, { url: receiver.url('/bc/all') });
    const orders = await createEndpoint(client, broadcast.id, { url: receiver.url('/bc/orders') });
    const created = await createEndpoint(client, broadcast.id, { url: receiver.url('/bc/created') });
    const users = await createEndpoint(client, broadcast.id, { url: receiver.url('/bc/users') });
    await createEndpoint(client, broadcast.id, { url: receiver.url('/bc/unsubscribed') });
    await subscribe(client, broadcast.id, all.id, ['*']);
    await subscribe(client, broadcast.id, orders.id, ['order.*']);
    await subscribe(client, broadcast.id, created.id, ['order.created', 'user.created']);
    await subscribe(client, broadcast.id, users.id, ['user.*']);

    const shipped = await sendEvent(client, broadcast.id, { event_type: 'order.shipped', data: { id: 's' } });
    const createdEvent = await sendEvent(client, broadcast.id, { event_type: 'order.created', data: { id: 'c' } });
    const shippedTo = (await settledDeliveries(client, broadcast.id, shipped.id)).map((d) => d.endpoint_id).sort();
    const createdTo = (await settledDeliveries(client, broadcast.id, createdEvent.id)).map((d) => d.endpoint_id).sort();
    assert.deepEqual(shippedTo, [all.id, orders.id].sort());
    assert.deepEqual(createdTo, [all.id, orders.id, created.id].sort());
    assert.equal(receiver.requestsFor('/bc/unsubscribed').length, 0);
    assert.equal(receiver.requestsFor('/bc/users').length, 0);
  });

  it('delivers a burst to several endpoints at once: each delivery once, one attempt each, every event routed', async () => {
    // Concurrent routings, claims and attempt records share statements; each row must keep its own result.
    const burst = await caravan.createProject({ retry: FAST_RETRY });
    const paths = ['/burst/a', '/burst/b', '/burst/c'];
    for (const path of paths) {
      const endpoint = await createEndpoint(burst.client, burst.id, { url: receiver.url(path) });
      await subscribe(burst.client, burst.id, endpoint.id, ['burst.*']);
    }
    const events = await Promise.all(
      Array.from({ length: 40 }, (_, n) => sendEvent(burst.client, burst.id, { event_type: 'burst.sent', data: { n } })),
    );

    const expected = events.length * paths.length;
    await waitFor('the burst to arrive', () => paths.reduce((sum, path) => sum + receiver.requestsFor(path).length, 0) >= expected, 20_000);
    const received = paths.flatMap((path) => receiver.requestsFor(path));
    const deliveryIds = received.map((request) => String(request.headers['x-caravan-delivery-id']));
    assert.equal(new Set(deliveryIds).size, expected, 'every delivery arrived, none twice');
    assert.ok(received.every((request) => request.headers['x-caravan-attempt'] === '1'));
    for (const path of paths) {
      const ns = receiver.requestsFor(path).map((request) => (JSON.parse(request.body) as { n: number }).n);
      assert.deepEqual(ns.sort((a, b) => a - b), events.map((_, n) => n), `${path} got each event once`);
    }

    await waitFor('every burst delivery to be recorded a success', async () => {
      const { rows } = await caravan.query(`SELECT count(*)::int AS n FROM event_deliveries WHERE project_id = $1 AND status = 'success'`, [burst.id]);
      return rows[0].n === expected;
    }, 10_000);
    const attempts = await caravan.query(
      `SELECT d.id, d.attempt_count, count(a.id)::int AS attempts, min(a.attempt_number) AS first
       FROM event_deliveries d LEFT JOIN delivery_attempts a ON a.delivery_id = d.id
       WHERE d.project_id = $1 GROUP BY d.id, d.attempt_count`,
      [burst.id],
    );
    assert.equal(attempts.rows.length, expected);
    assert.ok(attempts.rows.every((row) => row.attempt_count === 1 && row.attempts === 1 && row.first === 1));
    const unrouted = await caravan.query(`SELECT count(*)::int AS n FROM events WHERE project_id = $1 AND routed_at IS NULL`, [burst.id]);
    assert.equal(unrouted.rows[0].n, 0);
  });

  it('retries after the receiver fails twice, then succeeds on the third attempt', async () => {
    failuresLeft.set('/flaky', 2);
    const endpoint = await createEndpoint(api, project.id, { url: receiver.url('/flaky') });
    const event = await sendEvent(api, project.id, { event_type: 'invoice.paid', data: { flaky: true }, endpoint_id: endpoint.id });

    const [delivery] = await settledDeliveries(api, project.id, event.id);
    assert.equal(delivery.status, 'success');
    assert.equal(delivery.attempt_count, 3);
    const attempts = (await api.get(`/api/v1/projects/${project.id}/deliveries/${delivery.id}/attempts`)).body.data;
    assert.deepEqual(attempts.map((a: any) => a.response.status_code), [503, 503, 200]);
    assert.deepEqual(attempts.map((a: any) => a.attempt_number), [1, 2, 3]);
    const requests = receiver.requestsFor('/flaky');
    assert.deepEqual(requests.map((r) => r.headers['x-caravan-attempt']), ['1', '2', '3']);
    assert.equal(new Set(requests.map((r) => r.headers['x-caravan-idempotency-key'])).size, 1);
    assert.ok(requests[1].receivedAt - requests[0].receivedAt >= 150, 'waited the retry interval');
  });

  it('marks the delivery failed when its retries are exhausted, after exactly retry_count + 1 attempts', async () => {
    const endpoint = await createEndpoint(api, project.id, {
      url: receiver.url('/always-500'),
      retry: { retry_count: 2, interval_seconds: 0.2 },
    });
    const event = await sendEvent(api, project.id, { event_type: 'invoice.paid', data: {}, endpoint_id: endpoint.id });

    const [delivery] = await settledDeliveries(api, project.id, event.id);
    assert.equal(delivery.status, 'failure');
    assert.equal(delivery.attempt_count, 3);
    assert.equal(delivery.last_status_code, 500);
    assert.equal(delivery.last_error, 'endpoint answered 500');
    assert.equal(receiver.requestsFor('/always-500').length, 3);
    const attempts = (await api.get(`/api/v1/projects/${project.id}/deliveries/${delivery.id}/attempts`)).body.data;
    assert.equal(attempts.length, 3);
    assert.equal(attempts[2].response.body, 'boom');
  });

  it("lets a subscription's retry settings override the endpoint's and the project's", async () => {
    const endpoint = await createEndpoint(api, project.id, { url: receiver.url('/always-500/sub'), retry: { retry_count: 5 } });
    const subscription = await api.post(`/api/v1/projects/${project.id}/subscriptions`, {
      endpoint_id: endpoint.id,
      event_types: ['sub.retry'],
      retry: { retry_count: 1 },
    });
    assert.equal(subscription.status, 201);
    assert.equal(subscription.body.retry.retry_count, 1);
    const event = await sendEvent(api, project.id, { event_type: 'sub.retry', data: {} });

    const [delivery] = await settledDeliveries(api, project.id, event.id);
    assert.equal(delivery.status, 'failure');
    assert.equal(delivery.attempt_count, 2, 'one retry, as the subscription says (the endpoint says 5, the project 3)');
    assert.equal(receiver.requestsFor('/always-500/sub').length, 2);
  });

  it('records a refused connection as a failed attempt with its error, and a redirect as a failure not followed', async () => {
    const refused = await createEndpoint(api, project.id, { url: 'http://127.0.0.1:1/nothing', retry: { retry_count: 0 } });
    const redirect = await createEndpoint(api, project.id, { url: receiver.url('/redirect'), retry: { retry_count: 0 } });
    const toRefused = await sendEvent(api, project.id, { event_type: 'x', data: {}, endpoint_id: refused.id });
    const toRedirect = await sendEvent(api, project.id, { event_type: 'x', data: {}, endpoint_id: redirect.id });

    const [refusedDelivery] = await settledDeliveries(api, project.id, toRefused.id);
    assert.equal(refusedDelivery.status, 'failure');
    assert.match(refusedDelivery.last_error, /ECONNREFUSED/);
    const [attempt] = (await api.get(`/api/v1/projects/${project.id}/deliveries/${refusedDelivery.id}`)).body.attempts;
    assert.equal(attempt.response, null);
    assert.match(attempt.error, /ECONNREFUSED/);

    const [redirectDelivery] = await settledDeliveries(api, project.id, toRedirect.id);
    assert.equal(redirectDelivery.status, 'failure');
    assert.equal(redirectDelivery.last_status_code, 302);
    assert.equal(receiver.requestsFor('/target').length, 0);
  });

  it('records an attempt whose response body holds a NUL byte, which Postgres text cannot store', async () => {
    const endpoint = await createEndpoint(api, project.id, { url: receiver.url('/nul-body') });
    const event = await sendEvent(api, project.id, { event_type: 'x', data: {}, endpoint_id: endpoint.id });
    const [delivery] = await settledDeliveries(api, project.id, event.id);
    assert.equal(delivery.status, 'success');
    const [attempt] = (await api.get(`/api/v1/projects/${project.id}/deliveries/${delivery.id}`)).body.attempts;
    assert.equal(attempt.response.body, 'before\uFFFDafter');
  });

  it('holds deliveries for a paused endpoint and sends them once it is activated', async () => {
    const endpoint = await createEndpoint(api, project.id, { url: receiver.url('/paused') });
    const paused = await api.post(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}/pause`);
    assert.equal(paused.status, 200);
    assert.equal(paused.body.status, 'paused');
    const event = await sendEvent(api, project.id, { event_type: 'x', data: { held: true }, endpoint_id: endpoint.id });
    await waitFor('routing', async () => (await api.get(`/api/v1/projects/${project.id}/events/${event.id}`)).body.routed_at);
    // Two sweeps pass (interval 0.5 s) while the endpoint is paused: nothing may be sent.
    const sweptAt = Date.now();
    await waitFor('two sweeps', () => Date.now() - sweptAt > 1200);
    assert.equal(receiver.requestsFor('/paused').length, 0);
    assert.equal((await deliveriesOf(api, project.id, event.id))[0].status, 'scheduled');

    const activated = await api.post(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}/activate`);
    assert.equal(activated.body.status, 'active');
    const [delivery] = await settledDeliveries(api, project.id, event.id);
    assert.equal(delivery.status, 'success');
    assert.equal(delivery.attempt_count, 1);
    assert.equal(receiver.requestsFor('/paused').length, 1);
  });

  it('follows an endpoint changed after it received deliveries: the next event goes to its new URL, then waits while it is paused', async () => {
    // The agent has read this endpoint for a delivery already (and may keep it in memory): each
    // change through the API must reach the very next delivery.
    const endpoint = await createEndpoint(api, project.id, { url: receiver.url('/changing/before') });
    const sendTo = () => sendEvent(api, project.id, { event_type: 'x', data: { changing: true }, endpoint_id: endpoint.id });
    const first = await sendTo();
    assert.equal((await settledDeliveries(api, project.id, first.id))[0].status, 'success');
    assert.equal(receiver.requestsFor('/changing/before').length, 1);

    const moved = await api.patch(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}`, { url: receiver.url('/changing/after') });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const second = await sendTo();
    assert.equal((await settledDeliveries(api, project.id, second.id))[0].status, 'success');
    assert.equal(receiver.requestsFor('/changing/after').length, 1);
    assert.equal(receiver.requestsFor('/changing/before').length, 1, 'nothing more went to the old URL');

    assert.equal((await api.post(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}/pause`)).status, 200);
    const third = await sendTo();
    await waitFor('routing', async () => (await api.get(`/api/v1/projects/${project.id}/events/${third.id}`)).body.routed_at);
    const routedAt = Date.now();
    await waitFor('two sweeps', () => Date.now() - routedAt > 1200);
    assert.equal(receiver.requestsFor('/changing/after').length, 1, 'a paused endpoint gets nothing');
    const [held] = await deliveriesOf(api, project.id, third.id);
    assert.equal(held.status, 'scheduled');
    assert.equal(held.attempt_count, 0, 'holding it counted no attempt');

    assert.equal((await api.post(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}/activate`)).status, 200);
    const [sent] = await settledDeliveries(api, project.id, third.id);
    assert.equal(sent.status, 'success');
    assert.equal(sent.attempt_count, 1);
    assert.equal(receiver.requestsFor('/changing/after').length, 2);
  });

  it('returns the first event for a repeated idempotency key, and parallel duplicates store one event', async () => {
    const body = { event_type: 'x', data: { once: true }, idempotency_key: 'order-42' };
    const first = await api.post(`/api/v1/projects/${project.id}/events`, body);
    assert.equal(first.status, 202);
    const again = await api.post(`/api/v1/projects/${project.id}/events`, { ...body, data: { different: true } });
    assert.equal(again.status, 200);
    assert.equal(again.headers.get('idempotent-replayed'), 'true');
    assert.equal(again.body.id, first.body.id);
    assert.deepEqual(again.body.data, { once: true });

    const parallel = await Promise.all(
      Array.from({ length: 10 }, () => api.post(`/api/v1/projects/${project.id}/events`, { ...body, idempotency_key: 'parallel-1' })),
    );
    assert.equal(new Set(parallel.map((r) => r.body.id)).size, 1);
    assert.equal(parallel.filter((r) => r.status === 202).length, 1);
    const { rows } = await caravan.db.query(`SELECT count(*)::int AS n FROM events WHERE idempotency_key = 'parallel-1'`);
    assert.equal(rows[0].n, 1);
  });
});
