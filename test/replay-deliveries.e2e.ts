import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ApiClient } from './support/api-client';
import { assertApiError } from './support/api-error';
import {
  createEndpoint,
  deliveriesOf,
  FAST_RETRY,
  sendEvent,
  settledDeliveries,
  subscribe,
} from './support/fixtures';
import { Receiver, ReceivedRequest, ReceiverReply } from './support/receiver';
import { TestCaravan, TestProject } from './support/test-caravan';
import { waitFor } from './support/wait-for';

const UNKNOWN_DELIVERY_ID = '01900000-0000-7000-8000-000000000001';
/** One attempt only: a failed delivery ends `failure` at once. */
const NO_RETRIES = { retry_count: 0 };

describe('replaying and recovering deliveries (real Postgres, Redis, api and agent processes, HTTP receiver)', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  let project: TestProject;
  let other: TestProject;
  let api: ApiClient;
  /** Paths that answer 200; every other path answers 503 until it is added here. */
  const healthy = new Set<string>();

  before(async () => {
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    receiver.answer((request): ReceiverReply => {
      if (request.path === '/slow') return { status: 200, body: 'ok', delayMs: 2000 };
      return healthy.has(request.path) ? { status: 200, body: 'ok' } : { status: 503, body: 'not yet' };
    });
    await caravan.startApi();
    await caravan.startAgent();
    project = await caravan.createProject({ retry: FAST_RETRY });
    other = await caravan.createProject({ retry: FAST_RETRY });
    api = project.client;
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
  });

  const p = (projectId: string) => `/api/v1/projects/${projectId}`;

  /** An endpoint at `path` and one event sent to it, waited for until its delivery settled. */
  async function deliveredOnce(
    client: ApiClient,
    projectId: string,
    path: string,
    endpointBody: Record<string, unknown> = {},
  ) {
    const endpoint = await createEndpoint(client, projectId, {
      url: receiver.url(path),
      retry: NO_RETRIES,
      ...endpointBody,
    });
    const event = await sendEvent(client, projectId, {
      event_type: 'invoice.paid',
      data: { path },
      endpoint_id: endpoint.id,
    });
    const [delivery] = await settledDeliveries(client, projectId, event.id);
    return { endpoint, event, delivery };
  }

  async function deliveryNow(client: ApiClient, projectId: string, deliveryId: string): Promise<any> {
    const response = await client.get(`${p(projectId)}/deliveries/${deliveryId}`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  }

  function waitForStatus(
    client: ApiClient,
    projectId: string,
    deliveryId: string,
    status: string,
  ): Promise<any> {
    return waitFor(`delivery ${deliveryId} to be ${status}`, async () => {
      const delivery = await deliveryNow(client, projectId, deliveryId);
      return delivery.status === status && delivery;
    });
  }

  const deliveryIdOf = (request: ReceivedRequest) => String(request.headers['x-caravan-delivery-id']);

  it('retries a failed delivery now: exactly one new request, as the next attempt, and it succeeds', async () => {
    const { delivery } = await deliveredOnce(api, project.id, '/retry-one');
    assert.equal(delivery.status, 'failure');
    assert.equal(delivery.attempt_count, 1);
    healthy.add('/retry-one');

    const retried = await api.post(`${p(project.id)}/deliveries/${delivery.id}/retry`);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.id, delivery.id);
    assert.equal(retried.body.status, 'retry');
    assert.equal(retried.body.attempt_count, 1, 'the attempt count is kept');
    assert.ok(Date.parse(retried.body.next_attempt_at) <= Date.now(), 'due now');

    const done = await waitForStatus(api, project.id, delivery.id, 'success');
    assert.equal(done.attempt_count, 2);
    assert.deepEqual(
      done.attempts.map((a: any) => [a.attempt_number, a.response.status_code]),
      [
        [1, 503],
        [2, 200],
      ],
    );
    const requests = receiver.requestsFor('/retry-one');
    assert.equal(requests.length, 2);
    assert.equal(requests[1].headers['x-caravan-attempt'], '2');
    assert.equal(
      requests[1].headers['x-caravan-idempotency-key'],
      requests[0].headers['x-caravan-idempotency-key'],
    );
  });

  it('retries a delivery waiting out a long backoff now, instead of at its scheduled time', async () => {
    const endpoint = await createEndpoint(api, project.id, {
      url: receiver.url('/backing-off'),
      retry: { strategy: 'linear', retry_count: 3, interval_seconds: 600, max_interval_seconds: 600 },
    });
    const event = await sendEvent(api, project.id, { event_type: 'x', data: {}, endpoint_id: endpoint.id });
    const [delivery] = await waitFor('the delivery to wait for its second attempt', async () => {
      const deliveries = await deliveriesOf(api, project.id, event.id);
      return deliveries[0]?.status === 'retry' && deliveries;
    });
    assert.ok(
      Date.parse(delivery.next_attempt_at) > Date.now() + 500_000,
      'next attempt about ten minutes away',
    );
    healthy.add('/backing-off');

    const retried = await api.post(`${p(project.id)}/deliveries/${delivery.id}/retry`);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    const done = await waitForStatus(api, project.id, delivery.id, 'success');
    assert.equal(done.attempt_count, 2);
    assert.equal(done.endpoint_id, endpoint.id);
    assert.equal(receiver.requestsFor('/backing-off').length, 2);
  });

  it('refuses to retry a successful delivery with 409 naming force_resend, and sends nothing', async () => {
    healthy.add('/succeeded');
    const { delivery } = await deliveredOnce(api, project.id, '/succeeded');
    assert.equal(delivery.status, 'success');

    const response = await api.post(`${p(project.id)}/deliveries/${delivery.id}/retry`);
    assertApiError(response, { status: 409, message: /force_resend/ });
    const unchanged = await deliveryNow(api, project.id, delivery.id);
    assert.equal(unchanged.status, 'success');
    assert.equal(unchanged.attempt_count, 1);
    assert.equal(unchanged.updated_at, delivery.updated_at);
    assert.equal(receiver.requestsFor('/succeeded').length, 1);
  });

  it('refuses to retry a delivery whose attempt is in flight (409), and force_resend skips it', async () => {
    const endpoint = await createEndpoint(api, project.id, { url: receiver.url('/slow') });
    const event = await sendEvent(api, project.id, { event_type: 'x', data: {}, endpoint_id: endpoint.id });
    const [inFlight] = await waitFor('an attempt in flight', async () => {
      const deliveries = await deliveriesOf(api, project.id, event.id);
      return deliveries[0]?.status === 'processing' && deliveries;
    });

    assertApiError(await api.post(`${p(project.id)}/deliveries/${inFlight.id}/retry`), {
      status: 409,
      message: /in flight/,
    });
    const resend = await api.post(`${p(project.id)}/deliveries/force_resend`, { ids: [inFlight.id] });
    assert.equal(resend.status, 200, JSON.stringify(resend.body));
    assert.deepEqual(resend.body, { queued: 0, skipped: [inFlight.id] });

    const done = await waitForStatus(api, project.id, inFlight.id, 'success');
    assert.equal(done.attempt_count, 1);
    assert.equal(receiver.requestsFor('/slow').length, 1);
  });

  it('force_resend sends a successful delivery again as its next attempt with the same idempotency key', async () => {
    healthy.add('/resend');
    const { delivery } = await deliveredOnce(api, project.id, '/resend');
    assert.equal(delivery.status, 'success');
    const { delivery: otherDelivery } = await deliveredOnce(other.client, other.id, '/resend-other');

    const response = await api.post(`${p(project.id)}/deliveries/force_resend`, {
      ids: [delivery.id, UNKNOWN_DELIVERY_ID, otherDelivery.id],
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(response.body, { queued: 1, skipped: [UNKNOWN_DELIVERY_ID, otherDelivery.id] });

    const done = await waitFor('the resent attempt to succeed', async () => {
      const current = await deliveryNow(api, project.id, delivery.id);
      return current.status === 'success' && current.attempt_count === 2 && current;
    });
    assert.deepEqual(
      done.attempts.map((a: any) => a.attempt_number),
      [1, 2],
    );
    const [first, again] = receiver.requestsFor('/resend');
    assert.equal(receiver.requestsFor('/resend').length, 2);
    assert.equal(first.headers['x-caravan-attempt'], '1');
    assert.equal(again.headers['x-caravan-attempt'], '2');
    assert.equal(again.headers['x-caravan-idempotency-key'], first.headers['x-caravan-idempotency-key']);
    assert.equal(again.body, first.body);
    assert.equal(receiver.requestsFor('/resend-other').length, 1, "another project's delivery is not sent");
    assert.equal((await deliveryNow(other.client, other.id, otherDelivery.id)).attempt_count, 1);
  });

  describe('batch retry by filter', () => {
    let batch: TestProject;
    let endpointA: any;
    let endpointB: any;
    /** A's failed `order.paid` deliveries: what the batch below selects. */
    let selected: string[];
    let refundedOnA: string;
    let onB: string[];

    before(async () => {
      batch = await caravan.createProject({ retry: FAST_RETRY });
      endpointA = await createEndpoint(batch.client, batch.id, {
        url: receiver.url('/batch-a'),
        retry: NO_RETRIES,
      });
      endpointB = await createEndpoint(batch.client, batch.id, {
        url: receiver.url('/batch-b'),
        retry: NO_RETRIES,
      });
      const healthyC = await createEndpoint(batch.client, batch.id, {
        url: receiver.url('/batch-c'),
        retry: NO_RETRIES,
      });
      healthy.add('/batch-c');
      const send = (endpoint: any, eventType: string) =>
        sendEvent(batch.client, batch.id, {
          event_type: eventType,
          data: { eventType },
          endpoint_id: endpoint.id,
        });
      const events = await Promise.all([
        send(endpointA, 'order.paid'),
        send(endpointA, 'order.paid'),
        send(endpointA, 'order.paid'),
        send(endpointA, 'order.refunded'),
        send(endpointB, 'order.paid'),
        send(endpointB, 'order.paid'),
        send(healthyC, 'order.paid'),
      ]);
      const deliveries = await Promise.all(
        events.map(async (event) => (await settledDeliveries(batch.client, batch.id, event.id))[0]),
      );
      assert.deepEqual(
        deliveries.map((d) => d.status),
        ['failure', 'failure', 'failure', 'failure', 'failure', 'failure', 'success'],
      );
      selected = deliveries.slice(0, 3).map((d) => d.id);
      refundedOnA = deliveries[3].id;
      onB = deliveries.slice(4, 6).map((d) => d.id);
    });

    const count = async (filter: Record<string, unknown>): Promise<number> => {
      const response = await batch.client.post(`${p(batch.id)}/deliveries/batch_retry/count`, filter);
      assert.equal(response.status, 200, `${JSON.stringify(filter)}: ${JSON.stringify(response.body)}`);
      assert.deepEqual(Object.keys(response.body), ['count']);
      return response.body.count;
    };

    it('counts exactly the deliveries a filter selects (failures by default)', async () => {
      assert.equal(await count({}), 6);
      assert.equal(await count({ status: ['failure'], endpoint_id: endpointA.id }), 4);
      assert.equal(
        await count({ status: ['failure'], endpoint_id: endpointA.id, event_type: 'order.paid' }),
        3,
      );
      assert.equal(await count({ event_type: 'order.paid' }), 5);
      assert.equal(await count({ status: ['success'] }), 1);
      assert.equal(await count({ status: ['failure', 'success'], event_type: 'order.paid' }), 6);
      assert.equal(
        await count({
          endpoint_id: endpointB.id,
          created_after: new Date(Date.now() + 60_000).toISOString(),
        }),
        0,
      );
      assert.equal(await count({ created_before: new Date(Date.now() - 3_600_000).toISOString() }), 0);
      assert.equal(await count({ created_after: new Date(Date.now() - 3_600_000).toISOString() }), 6);
    });

    it('resends exactly the selected deliveries in the background, and none the filter left out', async () => {
      healthy.add('/batch-a');
      healthy.add('/batch-b');
      const filter = { status: ['failure'], endpoint_id: endpointA.id, event_type: 'order.paid' };
      const response = await batch.client.post(`${p(batch.id)}/deliveries/batch_retry`, filter);
      assert.equal(response.status, 202, JSON.stringify(response.body));
      assert.deepEqual(Object.keys(response.body).sort(), ['batch_id', 'count']);
      assert.equal(response.body.count, 3);

      for (const id of selected) {
        const done = await waitForStatus(batch.client, batch.id, id, 'success');
        assert.equal(done.attempt_count, 2);
      }
      const resentTo = receiver
        .requestsFor('/batch-a')
        .filter((request) => request.headers['x-caravan-attempt'] === '2')
        .map(deliveryIdOf);
      assert.deepEqual(resentTo.sort(), [...selected].sort(), 'each selected delivery was sent again, once');
      assert.equal(receiver.requestsFor('/batch-a').length, 4 + 3);

      // The batch changes every delivery it selects in one statement before queueing any, so
      // once the selected ones have succeeded, any wrongly selected one would show it by now.
      for (const id of [refundedOnA, ...onB]) {
        const untouched = await deliveryNow(batch.client, batch.id, id);
        assert.equal(untouched.status, 'failure', `${id} is not resent`);
        assert.equal(untouched.attempt_count, 1);
      }
      assert.deepEqual(
        receiver.requestsFor('/batch-b').map(deliveryIdOf).sort(),
        [...onB].sort(),
        'B got only its first attempts',
      );
      assert.equal(await count({ status: ['failure'] }), 3, 'the deliveries left out are still failed');
    });

    it('with success in the filter, sends successful deliveries again, like force_resend', async () => {
      const before = receiver.requestsFor('/batch-c').length;
      const response = await batch.client.post(`${p(batch.id)}/deliveries/batch_retry`, {
        status: ['success'],
        endpoint_id: endpointB.id,
      });
      assert.equal(response.status, 202, JSON.stringify(response.body));
      assert.equal(response.body.count, 0, 'B has no successful delivery');

      const all = await batch.client.post(`${p(batch.id)}/deliveries/batch_retry`, {
        status: ['success'],
        created_after: new Date(Date.now() - 3_600_000).toISOString(),
      });
      assert.equal(all.status, 202, JSON.stringify(all.body));
      assert.equal(all.body.count, 4, "A's three resent deliveries and C's one");
      await waitFor(
        'C to get its delivery again',
        () => receiver.requestsFor('/batch-c').length === before + 1,
      );
      for (const id of selected) {
        await waitFor(`${id} to succeed a third time`, async () => {
          const current = await deliveryNow(batch.client, batch.id, id);
          return current.status === 'success' && current.attempt_count === 3;
        });
      }
      assert.equal(receiver.requestsFor('/batch-b').length, 2, 'B is still left alone');
    });
  });

  it('replays an event to every endpoint it has a delivery for', async () => {
    const owner = 'replay-owner';
    const first = await createEndpoint(api, project.id, {
      url: receiver.url('/replay-1'),
      owner_id: owner,
      retry: NO_RETRIES,
    });
    const second = await createEndpoint(api, project.id, {
      url: receiver.url('/replay-2'),
      owner_id: owner,
      retry: NO_RETRIES,
    });
    await subscribe(api, project.id, first.id, ['*']);
    await subscribe(api, project.id, second.id, ['*']);
    healthy.add('/replay-1');
    const event = await sendEvent(api, project.id, {
      event_type: 'user.created',
      data: { replay: true },
      owner_id: owner,
    });
    const settled = await settledDeliveries(api, project.id, event.id);
    assert.deepEqual(
      settled.map((d) => [d.endpoint_id, d.status]).sort(),
      [
        [first.id, 'success'],
        [second.id, 'failure'],
      ].sort(),
    );
    healthy.add('/replay-2');

    const response = await api.post(`${p(project.id)}/events/${event.id}/replay`);
    assert.equal(response.status, 202, JSON.stringify(response.body));
    assert.deepEqual(response.body, { event_id: event.id, queued: 2 });

    await waitFor('both deliveries to succeed again', async () => {
      const deliveries = await deliveriesOf(api, project.id, event.id);
      return (
        deliveries.length === 2 && deliveries.every((d) => d.status === 'success' && d.attempt_count === 2)
      );
    });
    for (const path of ['/replay-1', '/replay-2']) {
      const requests = receiver.requestsFor(path);
      assert.deepEqual(
        requests.map((r) => r.headers['x-caravan-attempt']),
        ['1', '2'],
        path,
      );
      assert.ok(
        requests.every((r) => r.headers['x-caravan-event-id'] === event.id),
        path,
      );
    }
  });

  it('answers 400 naming the field for an invalid filter, id list or id', async () => {
    const start = new Date(Date.now() - 60_000).toISOString();
    const end = new Date(Date.now() - 120_000).toISOString();
    const filters: [Record<string, unknown>, string][] = [
      [{ status: ['processing'] }, 'status'],
      [{ status: ['failure', 'lost'] }, 'status'],
      [{ status: 'failure' }, 'status'],
      [{ status: [] }, 'status'],
      [{ endpoint_id: 'not-an-id' }, 'endpoint_id'],
      [{ event_type: 'has spaces' }, 'event_type'],
      [{ created_after: 'yesterday' }, 'created_after'],
      [{ created_before: '2024-13-45' }, 'created_before'],
      [{ created_after: start, created_before: end }, 'created_before'],
      [{ endpoint: 'typo' }, 'endpoint'],
    ];
    for (const [filter, field] of filters) {
      for (const route of ['batch_retry/count', 'batch_retry']) {
        const response = await api.post(`${p(project.id)}/deliveries/${route}`, filter);
        assertApiError(response, { status: 400, field }, `${route} ${JSON.stringify(filter)}`);
      }
    }
    const idLists: unknown[] = [
      {},
      { ids: [] },
      { ids: 'x' },
      { ids: ['not-an-id'] },
      { ids: Array.from({ length: 101 }, () => UNKNOWN_DELIVERY_ID) },
    ];
    for (const body of idLists) {
      assertApiError(
        await api.post(`${p(project.id)}/deliveries/force_resend`, body),
        { status: 400, field: 'ids' },
        JSON.stringify(body),
      );
    }
    assertApiError(await api.post(`${p(project.id)}/deliveries/not-an-id/retry`), {
      status: 400,
      field: 'delivery_id',
    });
    assertApiError(await api.post(`${p(project.id)}/events/not-an-id/replay`), {
      status: 400,
      field: 'event_id',
    });
  });

  it("answers 404 for another project's delivery or event, and sends nothing", async () => {
    const { delivery, event } = await deliveredOnce(other.client, other.id, '/other-project');
    assert.equal(delivery.status, 'failure');
    healthy.add('/other-project');

    assertApiError(await api.post(`${p(project.id)}/deliveries/${delivery.id}/retry`), {
      status: 404,
      field: 'delivery_id',
      message: 'delivery not found',
    });
    assertApiError(await api.post(`${p(project.id)}/deliveries/${UNKNOWN_DELIVERY_ID}/retry`), {
      status: 404,
      field: 'delivery_id',
      message: 'delivery not found',
    });
    assertApiError(await api.post(`${p(project.id)}/events/${event.id}/replay`), {
      status: 404,
      field: 'event_id',
      message: 'event not found',
    });
    const batch = await api.post(`${p(project.id)}/deliveries/batch_retry/count`, {
      endpoint_id: delivery.endpoint_id,
    });
    assert.deepEqual(batch.body, { count: 0 }, "a filter naming another project's endpoint selects nothing");

    const unchanged = await deliveryNow(other.client, other.id, delivery.id);
    assert.equal(unchanged.status, 'failure');
    assert.equal(unchanged.updated_at, delivery.updated_at);
    assert.equal(receiver.requestsFor('/other-project').length, 1);
  });
});
