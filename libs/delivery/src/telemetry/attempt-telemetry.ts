import { annotateSpan, caravanMetrics, SpanAttribute } from '@caravan/common';
import type { Event } from '@caravan/events';
import type { SendResult } from '../http/http-sender';
import type { DeliveryOutcome } from '../repositories/delivery.repository';

/**
 * What one attempt adds to the metrics and to its span: its latency, the delivery's final status
 * when it has one, the time from the event being stored to its delivery, an egress refusal.
 * In-memory increments only: no I/O on the dispatch path.
 */
export function recordAttemptTelemetry(event: Event, attempt: number, result: SendResult, outcome: DeliveryOutcome): void {
  caravanMetrics.attemptDuration.observe({ result: resultClass(result) }, result.durationMs / 1000);
  if (result.kind === 'error' && result.blocked) caravanMetrics.egressBlocked.inc();
  if (outcome.status === 'success') {
    caravanMetrics.deliveries.inc({ status: 'success' });
    caravanMetrics.endToEnd.observe(Math.max(0, Date.now() - event.createdAt.getTime()) / 1000);
  } else if (outcome.status === 'failure') {
    caravanMetrics.deliveries.inc({ status: 'failure' });
  }
  annotateSpan({
    [SpanAttribute.eventId]: event.id,
    [SpanAttribute.eventType]: event.eventType,
    [SpanAttribute.attempt]: attempt,
    [SpanAttribute.outcome]: outcome.status,
    ...(result.kind === 'response' ? { [SpanAttribute.statusCode]: result.statusCode } : { 'error.type': result.blocked ? 'egress_denied' : 'request_failed' }),
  });
}

/** A delivery given up before any request (it cannot be signed) is a failure too. */
export function recordUnsendableTelemetry(): void {
  caravanMetrics.deliveries.inc({ status: 'failure' });
  annotateSpan({ [SpanAttribute.outcome]: 'failure', 'error.type': 'unsendable' });
}

function resultClass(result: SendResult): string {
  if (result.kind === 'error') return 'error';
  return result.statusCode >= 200 && result.statusCode < 600 ? `${Math.floor(result.statusCode / 100)}xx` : 'other';
}
