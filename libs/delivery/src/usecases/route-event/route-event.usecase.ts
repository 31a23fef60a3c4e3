import { Inject, Injectable } from '@nestjs/common';
import { annotateSpan, CARAVAN_CONFIG, CaravanConfig, currentTraceparent, nullIfNotFound, SpanAttribute } from '@caravan/common';
import { FindEndpoints } from '@caravan/endpoints';
import { Event, GetEvent, MarkEventRouted } from '@caravan/events';
import { JobQueue, RouteEventJob } from '@caravan/queue';
import { FindMatchingSubscriptions, Subscription } from '@caravan/subscriptions';
import { ClaimedFirstAttempt, claimedFirstAttempts } from '../../first-attempt';
import { DeliveryRepository, NewDelivery } from '../../repositories/delivery.repository';

/**
 * Creates one delivery per endpoint the event is for, marks the event routed, then starts or
 * queues their first attempts. Safe to run twice: existing deliveries are skipped, and any whose
 * first attempt was never started are picked up by the sweeper (once due, or once their claim
 * has run out).
 */
@Injectable()
export class RouteEvent {
  constructor(
    private readonly getEvent: GetEvent,
    private readonly markRouted: MarkEventRouted,
    private readonly endpoints: FindEndpoints,
    private readonly subscriptions: FindMatchingSubscriptions,
    private readonly deliveries: DeliveryRepository,
    private readonly queue: JobQueue,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  /**
   * With `startClaimed` the new deliveries are created claimed for their first attempt, which it
   * gets to send (see ClaimedFirstAttempt); without, they are created due and their first attempts
   * are queued.
   */
  async execute(job: RouteEventJob, startClaimed?: (attempts: ClaimedFirstAttempt[]) => Promise<void>): Promise<number> {
    // The project's subscriptions are read alongside the event: one round trip instead of two.
    const [event, subscriptions] = await Promise.all([
      this.getEvent.execute(job.projectId, job.eventId).catch(nullIfNotFound),
      this.subscriptions.candidates(job.projectId),
    ]);
    if (!event || event.routedAt) return 0;
    annotateSpan({ [SpanAttribute.eventType]: event.eventType });

    const targets = await this.targetsOf(event, subscriptions);
    if (targets.length === 0) {
      await this.markRouted.execute(event.projectId, event.id);
      return 0;
    }
    // A claim lasts as a claim by DispatchDelivery does: the endpoint's timeout plus the queue lock.
    const claimForMs = startClaimed ? this.config.agent.queueLockMs : null;
    const created = await this.deliveries.insertMissing(event.projectId, event.id, targets, claimForMs);
    // Each first attempt continues this routing span's trace, and so the ingest request's.
    const attempts = claimedFirstAttempts({ projectId: event.projectId, eventId: event.id, traceparent: currentTraceparent() }, created, Date.now());
    if (startClaimed) await startClaimed(attempts);
    else await this.queue.deliver(attempts.map((attempt) => attempt.job));
    return created.length;
  }

  private async targetsOf(event: Event, subscriptions: readonly Subscription[]): Promise<NewDelivery[]> {
    const { projectId, endpointId, ownerId } = event;
    if (endpointId) {
      const endpoint = await this.endpoints.byId(projectId, endpointId);
      return endpoint ? [{ endpointId: endpoint.id, subscriptionId: null }] : [];
    }
    const matches = this.subscriptions.among(subscriptions, {
      projectId,
      eventType: event.eventType,
      data: JSON.parse(event.payload),
      customHeaders: event.customHeaders,
      sourceId: event.sourceId,
    });
    if (!ownerId) return matches;
    const owned = new Set(
      (await this.endpoints.byIds(projectId, matches.map((match) => match.endpointId), ownerId)).map((e) => e.id),
    );
    return matches.filter((match) => owned.has(match.endpointId));
  }
}
