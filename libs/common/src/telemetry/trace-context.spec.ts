import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { contextFromTraceparent, currentTraceparent } from './trace-context';
import { annotateSpan, inSpan, tracingEnabled } from './tracing';

// This file never starts tracing: it checks what every process without OTEL_EXPORTER_OTLP_ENDPOINT gets.
describe('trace context with tracing off', () => {
  it('adds nothing to job data and runs work without a span', async () => {
    assert.equal(tracingEnabled(), false);
    assert.equal(currentTraceparent(), undefined);
    const result = await inSpan('caravan.ingest', { attributes: { a: 1 } }, async (span) => {
      annotateSpan({ b: 2 });
      return { span, traceparent: currentTraceparent() };
    });
    assert.deepEqual(result, { span: undefined, traceparent: undefined });
  });

  it('reads a W3C traceparent into a remote parent, keeping the sampled flag', () => {
    const parent = trace.getSpanContext(contextFromTraceparent('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'));
    assert.deepEqual(parent, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1, isRemote: true });
    assert.equal(trace.getSpanContext(contextFromTraceparent('00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-00'))?.traceFlags, 0);
  });

  it('starts a new trace (the root context) for a missing or malformed traceparent', () => {
    for (const value of [
      undefined,
      null,
      '',
      'garbage',
      '01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      '00-00000000000000000000000000000000-b7ad6b7169203331-01',
      '00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01',
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b716920333-01',
    ]) {
      assert.equal(contextFromTraceparent(value), ROOT_CONTEXT, String(value));
    }
  });
});
