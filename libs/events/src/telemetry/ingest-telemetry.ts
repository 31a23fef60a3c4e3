import { annotateSpan, caravanMetrics, SpanAttribute } from '@caravan/common';
import type { Event } from '../entities/event.entity';

/** Counts a stored event and names it on the ingest span; a prom-client increment and, with tracing off, nothing more. */
export function recordIngested(event: Event): void {
  caravanMetrics.eventsIngested.inc({ project_id: event.projectId, source: event.sourceId ?? 'api' });
  annotateSpan({ [SpanAttribute.eventId]: event.id });
}
