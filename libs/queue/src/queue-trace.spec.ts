import { before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { currentTraceparent, inSpan, loadConfig, startTracing } from '@caravan/common';
import { InProcessJobQueue } from './in-process-job-queue';
import { JobHandler, QueuedJob } from './job-handler';
import { DeliverJob, QueueName, RouteEventJob } from './queue-names';
import { until } from './testing/until';

/** Routes each event to two endpoints, as the agent's routing processor does, continuing the job's trace. */
class FanOut extends JobHandler<RouteEventJob> {
  constructor(private readonly queue: InProcessJobQueue) {
    super();
  }

  handle(job: QueuedJob<RouteEventJob>): Promise<unknown> {
    return inSpan('caravan.route', { parent: job.data.traceparent ?? null }, async () => {
      const traceparent = currentTraceparent();
      await this.queue.deliver(['e1', 'e2'].map((endpointId) => ({ projectId: 'p', deliveryId: `d-${endpointId}`, endpointId, attempt: 1, traceparent })));
    });
  }
}

class Attempts extends JobHandler<DeliverJob> {
  done = 0;

  async handle(job: QueuedJob<DeliverJob>): Promise<unknown> {
    await inSpan('caravan.delivery.attempt', { parent: job.data.traceparent ?? null }, async () => undefined);
    this.done++;
    return 'sent';
  }
}


describe('trace context through the in-process queue (in-memory span exporter)', () => {
  const exporter = new InMemorySpanExporter();

  before(async () => {
    await startTracing(loadConfig({}), { serviceName: 'caravan-test', exporter });
  });

  it('keeps one trace id from the ingest span to the delivery spans of an event fanned out to two endpoints', async () => {
    const queue = new InProcessJobQueue();
    const attempts = new Attempts();
    queue.work(QueueName.Routing, new FanOut(queue), 1);
    queue.work(QueueName.Delivery, attempts, 2);
    await inSpan('caravan.ingest', {}, () => queue.routeEvents([{ projectId: 'p', eventId: 'ev1', traceparent: currentTraceparent() }]));
    // Queued with no trace context while the ingest span is active, as the sweeper would: it must not join that trace.
    await inSpan('caravan.ingest', {}, () => queue.deliver([{ projectId: 'p', deliveryId: 'swept', endpointId: 'e3', attempt: 2 }]));
    await until(() => attempts.done === 3);
    await queue.beforeApplicationShutdown();

    const spans = exporter.getFinishedSpans();
    const [ingest, secondIngest] = spans.filter((s) => s.name === 'caravan.ingest');
    const route = spans.find((s) => s.name === 'caravan.route')!;
    const deliveries = spans.filter((s) => s.name === 'caravan.delivery.attempt');
    const traceId = ingest.spanContext().traceId;
    assert.equal(route.spanContext().traceId, traceId);
    assert.equal(route.parentSpanContext?.spanId, ingest.spanContext().spanId);
    const fannedOut = deliveries.filter((s) => s.spanContext().traceId === traceId);
    assert.equal(fannedOut.length, 2);
    assert.ok(fannedOut.every((s) => s.parentSpanContext?.spanId === route.spanContext().spanId));
    const swept = deliveries.find((s) => s.spanContext().traceId !== traceId)!;
    assert.notEqual(swept.spanContext().traceId, secondIngest.spanContext().traceId, 'a job without traceparent starts its own trace');
    assert.equal(swept.parentSpanContext, undefined);
  });
});
