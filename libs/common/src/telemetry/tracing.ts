import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { Attributes, context, Context, Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { NodeSDK } from '@opentelemetry/sdk-node';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { CaravanConfig } from '../config/caravan-config';
import { contextFromTraceparent } from './trace-context';

/** Span attribute names Caravan sets (OpenTelemetry's where one exists). */
export const SpanAttribute = {
  projectId: 'caravan.project_id',
  endpointId: 'caravan.endpoint_id',
  eventId: 'caravan.event_id',
  eventType: 'caravan.event_type',
  deliveryId: 'caravan.delivery_id',
  sourceId: 'caravan.source_id',
  attempt: 'caravan.attempt',
  outcome: 'caravan.outcome',
  deliveries: 'caravan.deliveries',
  statusCode: 'http.response.status_code',
  method: 'http.request.method',
  route: 'http.route',
} as const;

let sdk: NodeSDK | null = null;
let enabled = false;

/** True once startTracing has installed an exporter: callers skip all span work otherwise. */
export function tracingEnabled(): boolean {
  return enabled;
}

export interface TracingOptions {
  /** Used when OTEL_SERVICE_NAME is unset. */
  serviceName: string;
  /**
   * For tests: export here (synchronously, span by span) instead of over OTLP, e.g. an
   * InMemorySpanExporter; tracing is then on whatever the config says.
   */
  exporter?: SpanExporter;
}

/**
 * Starts the OpenTelemetry SDK, traces only, when an OTLP endpoint is configured (or a test passes an
 * exporter). Otherwise nothing is loaded or registered: the API's tracer stays a no-op and every
 * helper here returns at its first line. Call before the app starts; the SDK reads the other OTEL_*
 * variables (sampler, batch sizes, headers, resource attributes) itself.
 */
export async function startTracing(config: CaravanConfig, options: TracingOptions): Promise<void> {
  const url = config.telemetry.tracesEndpoint;
  if (enabled || (!url && !options.exporter)) return;
  // Loaded only when used: the SDK pulls in every exporter it supports, which a process without tracing need not parse.
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  const tracingBase = await import('@opentelemetry/sdk-trace-base');
  const exporter = options.exporter ?? new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter({ url: url! });
  sdk = new NodeSDK({
    serviceName: config.telemetry.serviceName ?? options.serviceName,
    // Host and process attributes resolve asynchronously, which holds back a test's synchronous export.
    autoDetectResources: !options.exporter,
    // A test sees each span as it ends; production batches (OTEL_BSP_* tune it).
    spanProcessors: [options.exporter ? new tracingBase.SimpleSpanProcessor(exporter) : new tracingBase.BatchSpanProcessor(exporter)],
    // Metrics are prom-client's at /metrics and logs are pino's on stdout: the SDK must not start its own.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [],
    // Context travels as `traceparent` in job data (trace-context.ts), not through a global propagator.
    textMapPropagator: null,
  });
  sdk.start();
  enabled = true;
}

/** Exports what is buffered and stops; called as the app shuts down. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = null;
  enabled = false;
  await running?.shutdown().catch(() => undefined);
}

const tracer = () => trace.getTracer('caravan');

/**
 * Runs `work` in a new span, a child of `parent` (a context, or a job's `traceparent`; the active
 * context when omitted), ending it when `work` settles. With tracing off it only calls `work`.
 */
export function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: Context | string | null },
  work: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!enabled) return work(undefined);
  const parent =
    options.parent === undefined ? context.active() : typeof options.parent === 'object' && options.parent !== null ? options.parent : contextFromTraceparent(options.parent);
  return tracer().startActiveSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, parent, async (span) => {
    try {
      return await work(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * Starts a span that outlives a synchronous call (an HTTP request, ended by its response), runs
 * `run` inside it so what `run` starts is its child, and returns it for the caller to end.
 * Null with tracing off.
 */
export function startSpanAround(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: string | null },
  run: () => void,
): Span | null {
  if (!enabled) {
    run();
    return null;
  }
  const span = tracer().startSpan(name, { kind: options.kind, attributes: options.attributes }, contextFromTraceparent(options.parent));
  context.with(trace.setSpan(context.active(), span), run);
  return span;
}

/** Adds attributes to the active span, if one is recording. */
export function annotateSpan(attributes: Attributes): void {
  if (!enabled) return;
  trace.getSpan(context.active())?.setAttributes(attributes);
}

export function failSpan(span: Span, error: unknown): void {
  span.recordException(error instanceof Error ? error : String(error));
  span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
}

export { SpanKind, SpanStatusCode };

/** Flushes the spans still buffered when the app closes (SIGTERM), so the last deliveries' traces are not lost. */
@Injectable()
export class TracingShutdown implements OnApplicationShutdown {
  onApplicationShutdown(): Promise<void> {
    return stopTracing();
  }
}
