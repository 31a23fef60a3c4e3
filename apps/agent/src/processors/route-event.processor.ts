import { Injectable } from '@nestjs/common';
import { inSpan, SpanAttribute, SpanKind } from '@caravan/common';
import { RouteEvent } from '@caravan/delivery';
import { JobHandler, QueuedJob, RouteEventJob } from '@caravan/queue';
import { InlineFirstAttempts } from './inline-first-attempts';

@Injectable()
export class RouteEventProcessor extends JobHandler<RouteEventJob> {
  constructor(
    private readonly routeEvent: RouteEvent,
    private readonly firstAttempts: InlineFirstAttempts,
  ) {
    super();
  }

  handle(job: QueuedJob<RouteEventJob>): Promise<number> {
    // Continues the ingest span's trace; a job the sweeper recreated has no traceparent and starts its own.
    const attributes = { [SpanAttribute.projectId]: job.data.projectId, [SpanAttribute.eventId]: job.data.eventId };
    return inSpan('caravan.route', { kind: SpanKind.CONSUMER, attributes, parent: job.data.traceparent ?? null }, async (span) => {
      const created = await this.routeEvent.execute(job.data, (jobs) => this.firstAttempts.start(jobs));
      span?.setAttribute(SpanAttribute.deliveries, created);
      return created;
    });
  }
}
