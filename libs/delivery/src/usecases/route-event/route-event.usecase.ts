import { Injectable } from '@nestjs/common';
import { annotateSpan, currentTraceparent, nullIfNotFound, SpanAttribute } from '@caravan/common';
import { FindEndpoints } from '@caravan/endpoints';
import { GetEvent, MarkEventRouted } from '@caravan/events';
import { DeliverJob, JobQueue, RouteEventJob } from '@caravan/queue';
import { FindMatchingSubscriptions } from '@caravan/subscriptions';
import { DeliveryRepository, NewDelivery } from '../../repositories/delivery.repository';

/**
 * Creates one delivery per endpoint the event is for, then queues their first attempts.
 * Safe to run twice: existing deliveries are skipped, and any whose job was lost in between
 * are due and picked up by the sweeper.
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
    const event = await this.getEvent.execute(job.projectId, job.eventId).catch(nullIfNotFound);
    if (!event || event.routedAt) return 0;
    annotateSpan({ [SpanAttribute.eventType]: event.eventType });

    const targets = await this.targetsOf(event.projectId, event.eventType, event.endpointId, event.ownerId, event.payload, event.customHeaders, event.sourceId);
    const created = await this.deliveries.insertMissing(event.projectId, event.id, targets);
    // Each first attempt continues this routing span's trace, and so the ingest request's.
    const traceparent = currentTraceparent();
    await startFirstAttempts(
      created.map((delivery) => ({ projectId: event.projectId, deliveryId: delivery.id, endpointId: delivery.endpointId, attempt: 1, traceparent })),
    );
    await this.markRouted.execute(event.projectId, event.id);
    return created.length;
  }

  private async targetsOf(
    projectId: string,
    eventType: string,
    endpointId: string | null,
    ownerId: string | null,
    payload: string,
    customHeaders: Record<string, string> | null,
    sourceId: string | null,
  ): Promise<NewDelivery[]> {
    if (endpointId) {
      const endpoint = await this.endpoints.byId(projectId, endpointId);
      return endpoint ? [{ endpointId: endpoint.id, subscriptionId: null }] : [];
    }
    const matches = await this.subscriptions.execute({ projectId, eventType, data: JSON.parse(payload), customHeaders, sourceId });
    if (!ownerId) return matches;
    const owned = new Set(
      (await this.endpoints.byIds(projectId, matches.map((match) => match.endpointId), ownerId)).map((e) => e.id),
    );
    return matches.filter((match) => owned.has(match.endpointId));
  }
}
