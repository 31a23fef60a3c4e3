import { context, Context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';

// W3C Trace Context, version 00: `00-<32 hex trace id>-<16 hex parent span id>-<2 hex flags>`.
const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;
const INVALID_TRACE_ID = '0'.repeat(32);
const INVALID_SPAN_ID = '0'.repeat(16);

/**
 * The active span as a W3C `traceparent`, to travel with a job; undefined when no span is recording
 * (tracing off), so job data stays as it was. Formatted here rather than through the global
 * propagator, which is a no-op until the SDK starts and would cost a carrier object per job.
 */
export function currentTraceparent(): string | undefined {
  const span = trace.getSpan(context.active());
  if (!span?.isRecording()) return undefined;
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/**
 * The context a `traceparent` continues: a remote parent in ROOT_CONTEXT. Anything missing or
 * malformed gives ROOT_CONTEXT, so a job without one (recreated by the sweeper from Postgres) starts
 * a trace of its own instead of inheriting whatever context happened to schedule it.
 */
export function contextFromTraceparent(traceparent: string | undefined | null): Context {
  const match = typeof traceparent === 'string' ? TRACEPARENT.exec(traceparent.trim().toLowerCase()) : null;
  if (!match || match[1] === INVALID_TRACE_ID || match[2] === INVALID_SPAN_ID) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: match[1],
    spanId: match[2],
    traceFlags: parseInt(match[3], 16) & TraceFlags.SAMPLED,
    isRemote: true,
  });
}
