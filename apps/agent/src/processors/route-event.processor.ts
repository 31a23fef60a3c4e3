import { Injectable } from '@nestjs/common';
import { inSpan, SpanAttribute, SpanKind } from '@caravan/common';
import { RouteEvent } from '@caravan/delivery';
import { eventsOf, JobHandler, QueuedJob, RouteEventJob, RoutingJob } from '@caravan/queue';
import { InlineFirstAttempts } from './inline-first-attempts';

@Injectable()
export class RouteEventProcessor extends JobHandler<RoutingJob> {
  constructor(
    private readonly routeEvent: RouteEvent,
    private readonly firstAttempts: InlineFirstAttempts,
  ) {
    super();
  }

  /**
   * Routes a job's events side by side, so their reads and writes share statements. When one
   * fails the job fails after the others are done, and its retry skips the events already routed.
   */
  async handle(job: QueuedJob<RoutingJob>): Promise<number> {
    const outcomes = await Promise.allSettled(eventsOf(job.data).map((event) => this.route(event)));
    const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    return outcomes.reduce((sum, outcome) => sum + (outcome as PromiseFulfilledResult<number>).value, 0);
  }

  private route(event: RouteEventJob): Promise<number> {
    // Continues the ingest span's trace; a job the sweeper recreated has no traceparent and starts its own.
    const attributes = { [SpanAttribute.projectId]: event.projectId, [SpanAttribute.eventId]: event.eventId };
    return inSpan('caravan.route', { kind: SpanKind.CONSUMER, attributes, parent: event.traceparent ?? null }, async (span) => {
      const created = await this.routeEvent.execute(event, (attempts) => this.firstAttempts.start(attempts));
      span?.setAttribute(SpanAttribute.deliveries, created);
      return created;
    });
  }
}
