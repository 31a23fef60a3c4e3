import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CaravanProcess } from './support/caravan-process';
import { createEndpoint, deliveriesOf, sendEvent, settledDeliveries } from './support/fixtures';
import { Receiver, ReceiverReply } from './support/receiver';
import { EMBEDDED, TestCaravan, TestProject } from './support/test-caravan';
import { waitFor } from './support/wait-for';

/** Gaps in ms between consecutive requests a receiver got on one path. */
function gaps(receiver: Receiver, path: string): number[] {
  const times = receiver.requestsFor(path).map((r) => r.receivedAt);
  return times.slice(1).map((t, i) => t - times[i]);
}

describe('protecting endpoints: Retry-After, shared rate limits, circuit breaking (two agent processes on external storage)', () => {
  let caravan: TestCaravan;
  let secondAgent: CaravanProcess | undefined;
  let receiver: Receiver;
  const replies = new Map<string, (index: number) => ReceiverReply>();

  before(async () => {
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    receiver.answer((request) => {
      const reply = replies.get(request.path);
      return reply ? reply(receiver.requestsFor(request.path).length - 1) : { status: 200 };
    });
    await caravan.startApi();
    await caravan.startAgent();
    // The embedded mode is one process by design: its limits and breakers live in that process.
    if (!EMBEDDED) secondAgent = await CaravanProcess.start('agent', caravan.environment());
  });

  after(async () => {
    await secondAgent?.stop();
    await caravan?.destroy();
    await receiver?.stop();
  });

  it('waits what a 429 Retry-After asks (2 s) instead of its own backoff', async () => {
    const project = await caravan.createProject({ retry: { strategy: 'exponential', interval_seconds: 30, retry_count: 3 } });
    replies.set('/retry-after', (i) => (i === 0 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200 }));
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/retry-after') });
    const event = await sendEvent(project.client, project.id, { event_type: 'x', data: {}, endpoint_id: endpoint.id });

    const [delivery] = await settledDeliveries(project.client, project.id, event.id, 15_000);
    assert.equal(delivery.status, 'success');
    assert.equal(delivery.attempt_count, 2);
    const [gap] = gaps(receiver, '/retry-after');
    assert.ok(gap >= 1900 && gap < 5000, `second attempt ${gap} ms after the 429`);
  });

  it('gives up at once on a 400 when the project stops on 4xx, but still retries a 429', async () => {
    const project = await caravan.createProject({ retry: { strategy: 'linear', interval_seconds: 0.2, retry_count: 3, stop_on_4xx: true } });
    replies.set('/bad-request', () => ({ status: 400 }));
    replies.set('/too-many', (i) => (i === 0 ? { status: 429 } : { status: 200 }));
    const bad = await createEndpoint(project.client, project.id, { url: receiver.url('/bad-request') });
    const busy = await createEndpoint(project.client, project.id, { url: receiver.url('/too-many') });
    const toBad = await sendEvent(project.client, project.id, { event_type: 'x', data: {}, endpoint_id: bad.id });
    const toBusy = await sendEvent(project.client, project.id, { event_type: 'x', data: {}, endpoint_id: busy.id });

    const [badDelivery] = await settledDeliveries(project.client, project.id, toBad.id);
    assert.equal(badDelivery.status, 'failure');
    assert.equal(badDelivery.attempt_count, 1);
    const [busyDelivery] = await settledDeliveries(project.client, project.id, toBusy.id);
    assert.equal(busyDelivery.status, 'success');
    assert.equal(busyDelivery.attempt_count, 2);
  });

  it('spreads 50 events to an endpoint limited to 5/s over about 10 s across every agent, losing none', async () => {
    const project = await caravan.createProject();
    const endpoint = await createEndpoint(project.client, project.id, {
      url: receiver.url('/limited'),
      rate_limit: 5,
      rate_limit_duration_seconds: 1,
    });
    assert.equal(endpoint.rate_limit, 5);
    const events = await Promise.all(
      Array.from({ length: 50 }, (_, i) => sendEvent(project.client, project.id, { event_type: 'x', data: { i }, endpoint_id: endpoint.id })),
    );
    await waitFor('50 deliveries', () => receiver.requestsFor('/limited').length >= 50, 30_000);

    const times = receiver.requestsFor('/limited').map((r) => r.receivedAt).sort((a, b) => a - b);
    const span = times[49] - times[0];
    assert.ok(span >= 8000 && span <= 14_000, `50 deliveries at 5/s took ${span} ms`);
    // One shared limit lets through 5 at once and then one per 200 ms: at most 15 in any 2 s, 17
    // with a timer or two that a busy machine fired late. A limit per agent would let through 30.
    for (let i = 0; i < times.length; i++) {
      const inTwoSeconds = times.filter((t) => t >= times[i] && t < times[i] + 2000).length;
      assert.ok(inTwoSeconds <= 17, `${inTwoSeconds} deliveries within 2 s: one limit must hold across every agent`);
    }
    const received = new Set(receiver.requestsFor('/limited').map((r) => JSON.parse(r.body).i));
    assert.equal(received.size, 50, 'none lost');
    const deliveries = (await Promise.all(events.map((e) => deliveriesOf(project.client, project.id, e.id)))).flat();
    assert.ok(deliveries.every((d) => d.status === 'success' && d.attempt_count === 1), 'waiting for the limit is not an attempt');
  });

  it('opens the circuit of a failing endpoint: no requests while open, then a probe', async () => {
    const project = await caravan.createProject({
      retry: { strategy: 'linear', interval_seconds: 0.2, retry_count: 30 },
      circuit_breaker: { minimum_request_count: 3, failure_threshold: 50, error_timeout_seconds: 2, consecutive_failure_threshold: 100 },
    });
    replies.set('/broken', () => ({ status: 500 }));
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/broken') });
    await sendEvent(project.client, project.id, { event_type: 'x', data: {}, endpoint_id: endpoint.id });

    await waitFor('two probes after the circuit opened', () => receiver.requestsFor('/broken').length >= 5, 20_000);
    const [first, second, third, fourth] = gaps(receiver, '/broken');
    assert.ok(first < 1500 && second < 1500, `closed: retries every 0.2 s (${first}, ${second})`);
    assert.ok(third >= 1900, `after 3 failures the circuit opened for 2 s: next request ${third} ms later`);
    assert.ok(fourth >= 1900, `the failed probe opened it again: ${fourth} ms`);
  });

  it('sets an endpoint whose circuit keeps opening inactive, holds its backlog, and sends it on activation', async () => {
    const project = await caravan.createProject({
      retry: { strategy: 'linear', interval_seconds: 0.2, retry_count: 30 },
      circuit_breaker: { minimum_request_count: 2, failure_threshold: 50, error_timeout_seconds: 0.5, consecutive_failure_threshold: 2 },
    });
    let healthy = false;
    replies.set('/flapping', () => ({ status: healthy ? 200 : 503 }));
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/flapping') });
    const first = await sendEvent(project.client, project.id, { event_type: 'x', data: { n: 0 }, endpoint_id: endpoint.id });

    const disabled = await waitFor(
      'the endpoint to be set inactive',
      async () => {
        const current = (await project.client.get(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}`)).body;
        return current.status === 'inactive' && current;
      },
      20_000,
    );
    assert.match(disabled.disabled_reason, /circuit breaker opened 2 times in a row/);
    assert.ok(disabled.disabled_at);

    const requestsWhenDisabled = receiver.requestsFor('/flapping').length;
    const backlog = await Promise.all(
      [1, 2, 3].map((n) => sendEvent(project.client, project.id, { event_type: 'x', data: { n }, endpoint_id: endpoint.id })),
    );
    await waitFor('the backlog to be routed', async () => {
      const deliveries = (await Promise.all(backlog.map((e) => deliveriesOf(project.client, project.id, e.id)))).flat();
      return deliveries.length === 3 && deliveries.every((d) => d.status === 'scheduled');
    });
    const heldSince = Date.now();
    await waitFor('a few sweeps (0.5 s each) to pass', () => Date.now() - heldSince > 1500);
    assert.equal(receiver.requestsFor('/flapping').length, requestsWhenDisabled, 'an inactive endpoint receives nothing');

    healthy = true;
    const activated = await project.client.post(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}/activate`);
    assert.equal(activated.body.status, 'active');
    assert.equal(activated.body.disabled_reason, null);
    for (const event of [first, ...backlog]) {
      const [delivery] = await settledDeliveries(project.client, project.id, event.id, 15_000);
      assert.equal(delivery.status, 'success', `event ${event.id}`);
    }
    const received = receiver.requestsFor('/flapping').filter((r) => r.receivedAt >= heldSince).map((r) => JSON.parse(r.body).n);
    assert.deepEqual([...new Set(received)].sort(), [0, 1, 2, 3]);
  });

  it('holds an idempotency key for its window only', async () => {
    const project = await caravan.createProject({ idempotency_window_seconds: 1 });
    const body = { event_type: 'x', data: {}, idempotency_key: 'window-1' };
    const first = await project.client.post(`/api/v1/projects/${project.id}/events`, body);
    const within = await project.client.post(`/api/v1/projects/${project.id}/events`, body);
    assert.equal(first.status, 202);
    assert.equal(within.status, 200);
    assert.equal(within.body.id, first.body.id);

    const firstAt = Date.parse(first.body.created_at);
    await waitFor('the 1 s window to pass', () => Date.now() > firstAt + 1100);
    const later = await project.client.post(`/api/v1/projects/${project.id}/events`, body);
    assert.equal(later.status, 202);
    assert.notEqual(later.body.id, first.body.id);
    const { rows } = await caravan.db.query(`SELECT count(*)::int AS n FROM events WHERE project_id = $1 AND idempotency_key = 'window-1'`, [
      project.id,
    ]);
    assert.equal(rows[0].n, 2, 'both events keep their key for search');
  });
});

export type { TestProject };
