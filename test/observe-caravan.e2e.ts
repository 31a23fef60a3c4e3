import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createEndpoint, sendEvent, settledDeliveries } from './support/fixtures';
import { MetricsScrape } from './support/metrics-scrape';
import { Receiver } from './support/receiver';
import { TestCaravan } from './support/test-caravan';
import { waitFor } from './support/wait-for';

/**
 * /metrics on the api and on the agent (one process when embedded), read before and after real
 * events flow through real processes to a real receiver.
 */
describe('observing Caravan: Prometheus metrics on the api and the agent', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  let apiUrl: string;
  let agentUrl: string;

  before(async () => {
    receiver = await Receiver.start();
    receiver.answer((request) => {
      if (request.path === '/fail' || request.path === '/broken') return { status: 500, body: 'boom' };
      if (request.path === '/slow') return { status: 200, delayMs: 700 };
      return { status: 200, body: 'ok' };
    });
    caravan = await TestCaravan.create({
      // blocked.test resolves to a private address: the egress policy refuses it at delivery time.
      CARAVAN_EGRESS_STATIC_HOSTS: 'blocked.test=10.1.2.3',
      // Few workers, so that a slow endpoint makes delivery jobs wait in the queue.
      CARAVAN_DELIVERY_CONCURRENCY: '2',
    });
    await caravan.startApi();
    apiUrl = caravan.api!.url;
    agentUrl = (await caravan.startAgent()).url;
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
  });

  it('serves the Prometheus text format at /metrics on both, without an API key', async () => {
    for (const url of [apiUrl, agentUrl]) {
      const response = await fetch(`${url}/metrics`);
      assert.equal(response.status, 200);
      assert.match(String(response.headers.get('content-type')), /^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      for (const family of [
        'caravan_events_ingested_total counter',
        'caravan_deliveries_total counter',
        'caravan_delivery_attempt_duration_seconds histogram',
        'caravan_delivery_end_to_end_seconds histogram',
        'caravan_delivery_deferrals_total counter',
        'caravan_delivery_egress_denied_total counter',
        'caravan_circuit_breakers_open gauge',
        'caravan_queue_jobs gauge',
        'caravan_queue_oldest_waiting_seconds gauge',
        'process_cpu_seconds_total counter',
      ]) {
        assert.ok(text.includes(`# TYPE ${family}`), `${url}/metrics has ${family}`);
      }
    }
  });

  it('counts ingested events by project and source, final statuses, attempt latencies, end-to-end latency and egress denials', async () => {
    const project = await caravan.createProject({ retry: { strategy: 'linear', interval_seconds: 1, retry_count: 0 } });
    const ok = await createEndpoint(project.client, project.id, { url: receiver.url('/ok') });
    const failing = await createEndpoint(project.client, project.id, { url: receiver.url('/fail') });
    const blocked = await createEndpoint(project.client, project.id, { url: 'http://blocked.test/hook' });
    const [apiBefore, agentBefore] = await Promise.all([MetricsScrape.of(apiUrl), MetricsScrape.of(agentUrl)]);

    const events = [
      ...(await Promise.all([1, 2, 3].map((n) => sendEvent(project.client, project.id, { event_type: 'order.paid', data: { n }, endpoint_id: ok.id })))),
      await sendEvent(project.client, project.id, { event_type: 'order.paid', data: {}, endpoint_id: failing.id }),
      await sendEvent(project.client, project.id, { event_type: 'order.paid', data: {}, endpoint_id: blocked.id }),
    ];
    const statuses = (await Promise.all(events.map((e) => settledDeliveries(project.client, project.id, e.id)))).flat().map((d) => d.status);
    assert.deepEqual(statuses, ['success', 'success', 'success', 'failure', 'failure']);
    const [apiAfter, agentAfter] = await Promise.all([MetricsScrape.of(apiUrl), MetricsScrape.of(agentUrl)]);

    const ingested = { project_id: project.id, source: 'api' };
    assert.equal(apiBefore.value('caravan_events_ingested_total', ingested), 0);
    assert.equal(apiAfter.value('caravan_events_ingested_total', ingested), 5, 'the api counts the events it stored');

    const delta = (name: string, labels: Record<string, string> = {}) => agentAfter.value(name, labels) - agentBefore.value(name, labels);
    assert.equal(delta('caravan_deliveries_total', { status: 'success' }), 3);
    assert.equal(delta('caravan_deliveries_total', { status: 'failure' }), 2);
    assert.equal(delta('caravan_delivery_attempt_duration_seconds_count', { result: '2xx' }), 3);
    assert.equal(delta('caravan_delivery_attempt_duration_seconds_count', { result: '5xx' }), 1);
    assert.equal(delta('caravan_delivery_attempt_duration_seconds_count', { result: 'error' }), 1, 'the blocked attempt');
    assert.equal(delta('caravan_delivery_attempt_duration_seconds_bucket', { result: '2xx', le: '+Inf' }), 3);
    assert.ok(delta('caravan_delivery_attempt_duration_seconds_sum', { result: '2xx' }) > 0);
    assert.equal(delta('caravan_delivery_end_to_end_seconds_count'), 3, 'one end-to-end latency per successful delivery');
    assert.ok(delta('caravan_delivery_end_to_end_seconds_sum') > 0);
    assert.equal(delta('caravan_delivery_end_to_end_seconds_bucket', { le: '+Inf' }), 3);
    assert.equal(delta('caravan_delivery_egress_denied_total'), 1);
  });

  it('counts rate-limited deferrals, and delivers what they held back', async () => {
    const project = await caravan.createProject();
    const limited = await createEndpoint(project.client, project.id, { url: receiver.url('/limited'), rate_limit: 1, rate_limit_duration_seconds: 1 });
    const before = await MetricsScrape.of(agentUrl);
    const events = await Promise.all([1, 2, 3].map((n) => sendEvent(project.client, project.id, { event_type: 'x', data: { n }, endpoint_id: limited.id })));
    for (const event of events) assert.equal((await settledDeliveries(project.client, project.id, event.id))[0].status, 'success');
    const after = await MetricsScrape.of(agentUrl);
    const deferred = after.value('caravan_delivery_deferrals_total', { reason: 'rate-limited' }) - before.value('caravan_delivery_deferrals_total', { reason: 'rate-limited' });
    assert.ok(deferred >= 2, `3 events at 1/s: at least 2 waited for a slot (${deferred} deferrals)`);
    assert.equal(after.value('caravan_delivery_deferrals_total', { reason: 'circuit-open' }), before.value('caravan_delivery_deferrals_total', { reason: 'circuit-open' }));
  });

  it("reports the agent's backlog of first attempts, then the queue depth and the oldest waiting job while a slow endpoint holds the workers, and zero once drained", async () => {
    const project = await caravan.createProject();
    const slow = await createEndpoint(project.client, project.id, { url: receiver.url('/slow') });
    const events = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => sendEvent(project.client, project.id, { event_type: 'x', data: { n }, endpoint_id: slow.id })));

    // Two delivery slots: the agent sends two first attempts and holds the other four until a slot frees.
    const holding = await waitFor('first attempts held in the agent', async () => {
      const scrape = await MetricsScrape.of(agentUrl);
      return scrape.value('caravan_agent_delivery_backlog') >= 1 && scrape.value('caravan_agent_delivery_backlog_oldest_seconds') >= 0.2 && scrape;
    }, 10_000, 50);
    assert.ok(holding.value('caravan_agent_delivery_backlog') <= 4);
    const delivered = (await Promise.all(events.map((event) => settledDeliveries(project.client, project.id, event.id, 20_000)))).flat();
    const drained = await MetricsScrape.of(agentUrl);
    assert.equal(drained.value('caravan_agent_delivery_backlog'), 0);
    assert.equal(drained.value('caravan_agent_delivery_backlog_oldest_seconds'), 0);

    // Resends go through the delivery queue, whose two workers the slow endpoint holds.
    const resend = await project.client.post(`/api/v1/projects/${project.id}/deliveries/force_resend`, { ids: delivered.map((d) => d.id) });
    assert.deepEqual([resend.status, resend.body.queued], [200, 6], JSON.stringify(resend.body));
    for (const url of [agentUrl, apiUrl]) {
      const busy = await waitFor(`delivery jobs waiting, seen at ${url}`, async () => {
        const scrape = await MetricsScrape.of(url);
        return scrape.value('caravan_queue_jobs', { queue: 'delivery', state: 'waiting' }) >= 1 &&
          scrape.value('caravan_queue_oldest_waiting_seconds', { queue: 'delivery' }) >= 0.2 && scrape;
      }, 10_000, 50);
      assert.ok(busy.value('caravan_queue_jobs', { queue: 'delivery', state: 'active' }) >= 1);
    }
    const idle = await waitFor('the delivery queue to drain', async () => {
      const scrape = await MetricsScrape.of(agentUrl);
      return scrape.value('caravan_queue_jobs', { queue: 'delivery', state: 'waiting' }) === 0 &&
        scrape.value('caravan_queue_jobs', { queue: 'delivery', state: 'active' }) === 0 && scrape;
    }, 20_000);
    assert.equal(idle.value('caravan_queue_oldest_waiting_seconds', { queue: 'delivery' }), 0);
    assert.ok(receiver.requestsFor('/slow').length >= 12, 'every delivery was sent twice');
  });

  it('shows an open circuit breaker, counts its trip and the deferrals it causes', async () => {
    const project = await caravan.createProject({
      retry: { strategy: 'linear', interval_seconds: 0.2, retry_count: 30 },
      circuit_breaker: { minimum_request_count: 2, failure_threshold: 50, error_timeout_seconds: 30, consecutive_failure_threshold: 100 },
    });
    const broken = await createEndpoint(project.client, project.id, { url: receiver.url('/broken') });
    const before = await MetricsScrape.of(agentUrl);
    await sendEvent(project.client, project.id, { event_type: 'x', data: {}, endpoint_id: broken.id });

    const open = await waitFor('the circuit to open and hold back a retry', async () => {
      const scrape = await MetricsScrape.of(agentUrl);
      return scrape.value('caravan_delivery_deferrals_total', { reason: 'circuit-open' }) > before.value('caravan_delivery_deferrals_total', { reason: 'circuit-open' }) && scrape;
    }, 15_000);
    assert.equal(open.value('caravan_circuit_breaker_trips_total') - before.value('caravan_circuit_breaker_trips_total'), 1);
    assert.equal(open.value('caravan_circuit_breakers_open', { state: 'open' }) - before.value('caravan_circuit_breakers_open', { state: 'open' }), 1);
    assert.ok(open.value('caravan_queue_jobs', { queue: 'delivery', state: 'delayed' }) >= 1, 'the held-back attempt waits as a delayed job');
    // The breaker lives in Redis (in the process, embedded): the api reads the same state.
    assert.equal((await MetricsScrape.of(apiUrl)).value('caravan_circuit_breakers_open', { state: 'open' }), open.value('caravan_circuit_breakers_open', { state: 'open' }));
  });
});
