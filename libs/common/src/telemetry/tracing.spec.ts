import { describe, it, before } from 'node:test';
import * as assert from 'node:assert/strict';
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base';
import { loadConfig } from '../config/caravan-config';
import { CaravanLogger } from './caravan-logger';
import { currentTraceparent } from './trace-context';
import { annotateSpan, inSpan, SpanKind, startSpanAround, startTracing, tracingEnabled } from './tracing';

describe('tracing with an exporter installed (in memory)', () => {
  const exporter = new InMemorySpanExporter();

  before(async () => {
    await startTracing(loadConfig({}), { serviceName: 'caravan-test', exporter });
  });

  it('is on, and a span names itself as the traceparent its jobs carry', async () => {
    assert.equal(tracingEnabled(), true);
    exporter.reset();
    const traceparent = await inSpan('caravan.ingest', { attributes: { 'caravan.project_id': 'p1' } }, async () => {
      annotateSpan({ 'caravan.event_id': 'e1' });
      return currentTraceparent();
    });
    const [span] = exporter.getFinishedSpans();
    assert.equal(traceparent, `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
    assert.deepEqual(span.attributes, { 'caravan.project_id': 'p1', 'caravan.event_id': 'e1' });
  });

  it("continues a job's traceparent as the parent, and starts a new trace without one even inside another span", async () => {
    exporter.reset();
    const traceparent = await inSpan('caravan.ingest', {}, async () => currentTraceparent());
    await inSpan('caravan.route', { kind: SpanKind.CONSUMER, parent: traceparent }, async () => undefined);
    await inSpan('outer', {}, () => inSpan('caravan.delivery.attempt', { parent: null }, async () => undefined));
    const [ingest, route, orphan, outer] = exporter.getFinishedSpans();
    assert.equal(route.spanContext().traceId, ingest.spanContext().traceId);
    assert.equal(route.parentSpanContext?.spanId, ingest.spanContext().spanId);
    assert.equal(route.kind, SpanKind.CONSUMER);
    assert.notEqual(orphan.spanContext().traceId, outer.spanContext().traceId, 'a job without traceparent does not inherit the scheduling context');
    assert.equal(orphan.parentSpanContext, undefined);
  });

  it('marks a span whose work failed, and rethrows', async () => {
    exporter.reset();
    await assert.rejects(inSpan('caravan.route', {}, async () => Promise.reject(new Error('database down'))), /database down/);
    const [span] = exporter.getFinishedSpans();
    assert.equal(span.status.code, 2);
    assert.equal(span.status.message, 'database down');
    assert.equal(span.events[0].name, 'exception');
  });

  it('keeps a request span open around what it starts, as a child of the caller', async () => {
    exporter.reset();
    let inner: Promise<unknown> = Promise.resolve();
    const server = startSpanAround('POST /x', { kind: SpanKind.SERVER, parent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' }, () => {
      inner = inSpan('caravan.ingest', {}, async () => undefined);
    });
    await inner;
    server!.end();
    const [ingest, request] = exporter.getFinishedSpans();
    assert.equal(request.spanContext().traceId, '0af7651916cd43dd8448eb211c80319c');
    assert.equal(request.parentSpanContext?.spanId, 'b7ad6b7169203331');
    assert.equal(ingest.parentSpanContext?.spanId, request.spanContext().spanId);
  });

  it('writes trace_id and span_id on log lines made inside a span, and none outside', async () => {
    const lines: string[] = [];
    const logger = new CaravanLogger(loadConfig({}), { write: (line: string) => void lines.push(line) });
    const ids = await inSpan('caravan.route', {}, async (span) => {
      logger.warn('inside', 'Test');
      return span!.spanContext();
    });
    logger.warn('outside', 'Test');
    const [inside, outside] = lines.map((line) => JSON.parse(line));
    assert.equal(inside.trace_id, ids.traceId);
    assert.equal(inside.span_id, ids.spanId);
    assert.equal(outside.trace_id, undefined);
  });
});
