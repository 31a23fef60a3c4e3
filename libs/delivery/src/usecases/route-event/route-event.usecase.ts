import { Injectable } from '@nestjs/common';
import { annotateSpan, currentTraceparent, nullIfNotFound, SpanAttribute } from '@caravan/common';
import { FindEndpoints } from '@caravan/endpoints';
import { Event, GetEvent, MarkEventRouted } from '@caravan/events';
import { DeliverJob, JobQueue, RouteEventJob } from '@caravan/queue';
import { FindMatchingSubscriptions, Subscription } from '@caravan/subscriptions';
import { DeliveryRepository, NewDelivery } from '../../repositories/delivery.repository';

/**
 * Creates one delivery per endpoint the event is for, marks the event routed, then starts or
 * queues their first attempts. Safe to run twice: existing deliveries are skipped, and any whose
 * first attempt was never started are due and picked up by the sweeper.
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
  ) {}

  /** `startFirstAttempts` gets the first attempts of the new deliveries; by default they are queued. */
  async execute(job: RouteEventJob, startFirstAttempts: (jobs: DeliverJob[]) => Promise<void> = (jobs) => this.queue.deliver(jobs)): Promise<number> {
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
    const created = await this.deliveries.insertMissing(event.projectId, event.id, targets);
    // Each first attempt continues this routing span's trace, and so the ingest request's.
    const traceparent = currentTraceparent();
    await startFirstAttempts(
      created.map((delivery) => ({ projectId: event.projectId, deliveryId: delivery.id, endpointId: delivery.endpointId, attempt: 1, traceparent })),
    );
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
