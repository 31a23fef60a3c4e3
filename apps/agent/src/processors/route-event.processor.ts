import { Injectable } from '@nestjs/common';
import { currentTraceparent, inSpan, SpanAttribute, SpanKind } from '@caravan/common';
import { claimedFirstAttempts, RouteEvent } from '@caravan/delivery';
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

  /** Each first attempt continues this span's trace, as when the agent routes. */
  private async startRouted(event: RouteEventJob, routed: NonNullable<RouteEventJob['routed']>): Promise<number> {
    await this.firstAttempts.start(claimedFirstAttempts({ ...event, traceparent: currentTraceparent() }, routed.deliveries, routed.claimedAt));
    return routed.deliveries.length;
  }

  private route(event: RouteEventJob): Promise<number> {
    // Continues the ingest span's trace; a job the sweeper recreated has no traceparent and starts its own.
    const attributes = { [SpanAttribute.projectId]: event.projectId, [SpanAttribute.eventId]: event.eventId };
    return inSpan('caravan.route', { kind: SpanKind.CONSUMER, attributes, parent: event.traceparent ?? null }, async (span) => {
      // Routed by the api as it stored the event: only the first attempts are left to start.
      const created = event.routed
        ? await this.startRouted(event, event.routed)
        : await this.routeEvent.execute(event, (attempts) => this.firstAttempts.start(attempts));
      span?.setAttribute(SpanAttribute.deliveries, created);
      return created;
    });
  }
}
