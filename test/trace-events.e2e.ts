import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ApiClient } from './support/api-client';
import { createEndpoint, FAST_RETRY, settledDeliveries, subscribe } from './support/fixtures';
import { OtlpReceiver, ReceivedSpan } from './support/otlp-receiver';
import { Receiver } from './support/receiver';
import { EMBEDDED, TestCaravan, TestProject } from './support/test-caravan';
import { waitFor } from './support/wait-for';

const SERVER = 2;
const CONSUMER = 5;

/**
 * Tracing end to end: the api and agent processes export over OTLP/HTTP (JSON) to a collector in
 * this test, exactly as they would to a real one; the spans are checked as a tracing backend would
 * assemble them.
 */
describe('tracing an event from the API request to every delivery attempt (OTLP export)', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  let otlp: OtlpReceiver;
  let project: TestProject;
  let api: ApiClient;
  let first: any;
  let flaky: any;
  const apiService = EMBEDDED ? 'caravan' : 'caravan-api';
  const agentService = EMBEDDED ? 'caravan' : 'caravan-agent';

  before(async () => {
    otlp = await OtlpReceiver.start();
    receiver = await Receiver.start();
    // The flaky endpoint fails each event's first attempt, so a retry's span is in the trace too.
    const seen = new Set<string>();
    receiver.answer((request) => {
      const key = `${request.path} ${String(request.headers['x-caravan-event-id'])}`;
      if (request.path === '/flaky' && !seen.has(key)) {
        seen.add(key);
        return { status: 503, body: 'try again' };
      }
      return { status: 200, body: 'ok' };
    });
    caravan = await TestCaravan.create({ OTEL_EXPORTER_OTLP_ENDPOINT: otlp.endpoint, OTEL_BSP_SCHEDULE_DELAY: '100' });
    await caravan.startApi();
    await caravan.startAgent();
    project = await caravan.createProject({ retry: FAST_RETRY });
    api = project.client;
    first = await createEndpoint(api, project.id, { url: receiver.url('/first') });
    flaky = await createEndpoint(api, project.id, { url: receiver.url('/flaky') });
    await subscribe(api, project.id, first.id, ['order.*']);
    await subscribe(api, project.id, flaky.id, ['order.*']);
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
    await otlp?.stop();
  });

  /** Waits for the ingest, routing and all three attempt spans of one trace to be exported. */
  async function traceOf(traceId: string): Promise<ReceivedSpan[]> {
    return waitFor(`the spans of trace ${traceId}`, () => {
      const spans = otlp.inTrace(traceId);
      return spans.filter((span) => span.name === 'caravan.delivery.attempt').length >= 3 && spans.some((s) => s.name === 'caravan.route') && spans;
    });
  }

  function assertFannedOut(spans: ReceivedSpan[], eventId: string): void {
    const ingest = spans.find((span) => span.name === 'caravan.ingest');
    assert.ok(ingest, 'the ingest span is in the trace');
    assert.equal(ingest.service, apiService);
    assert.equal(ingest.attributes['caravan.event_id'], eventId);
    assert.equal(ingest.attributes['caravan.project_id'], project.id);
    assert.equal(ingest.attributes['caravan.event_type'], 'order.created');

    const routes = spans.filter((span) => span.name === 'caravan.route');
    assert.equal(routes.length, 1);
    assert.equal(routes[0].service, agentService);
    assert.equal(routes[0].kind, CONSUMER);
    assert.equal(routes[0].parentSpanId, ingest.spanId, 'routing continues the ingest span through the queue');
    assert.equal(routes[0].attributes['caravan.deliveries'], 2);

    const attempts = spans.filter((span) => span.name === 'caravan.delivery.attempt');
    const summary = attempts
      .map((span) => `${span.attributes['caravan.endpoint_id']} #${span.attributes['caravan.attempt']} ${span.attributes['http.response.status_code']}`)
      .sort();
    assert.deepEqual(summary, [`${first.id} #1 200`, `${flaky.id} #1 503`, `${flaky.id} #2 200`].sort());
    for (const attempt of attempts) {
      assert.equal(attempt.service, agentService);
      assert.equal(attempt.parentSpanId, routes[0].spanId, 'every attempt, the retry too, is a child of the routing span');
      assert.equal(attempt.attributes['caravan.project_id'], project.id);
      assert.equal(attempt.attributes['caravan.event_type'], 'order.created');
      assert.equal(attempt.attributes['caravan.event_id'], eventId);
    }
  }

  it("continues the caller's traceparent: the API request, ingest, routing and both endpoints' attempts share its trace id", async () => {
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const response = await api.request('POST', `/api/v1/projects/${project.id}/events`, { event_type: 'order.created', data: { order: 1 } }, {
      traceparent: `00-${traceId}-${callerSpanId}-01`,
    });
    assert.equal(response.status, 202);
    const deliveries = await settledDeliveries(api, project.id, response.body.id);
    assert.deepEqual(deliveries.map((d: any) => d.status), ['success', 'success']);

    const spans = await traceOf(traceId);
    const server = spans.find((span) => span.kind === SERVER);
    assert.ok(server, 'the API request has a server span');
    assert.equal(server.name, 'POST /api/v1/projects/:project_id/events');
    assert.equal(server.parentSpanId, callerSpanId);
    assert.equal(server.attributes['http.response.status_code'], 202);
    assert.equal(spans.find((span) => span.name === 'caravan.ingest')?.parentSpanId, server.spanId);
    assertFannedOut(spans, response.body.id);
  });

  it('starts a new trace for an event sent without one, and every delivery span joins it', async () => {
    const response = await api.post(`/api/v1/projects/${project.id}/events`, { event_type: 'order.created', data: { order: 2 } });
    assert.equal(response.status, 202);
    await settledDeliveries(api, project.id, response.body.id);
    const ingest = await waitFor('the ingest span', () =>
      otlp.spans.find((span) => span.name === 'caravan.ingest' && span.attributes['caravan.event_id'] === response.body.id),
    );
    const spans = await traceOf(ingest.traceId);
    assert.equal(spans.find((span) => span.kind === SERVER)?.parentSpanId, '', 'the API request span is the root');
    assertFannedOut(spans, response.body.id);
  });
});
