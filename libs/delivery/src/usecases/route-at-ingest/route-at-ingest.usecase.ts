import { Inject, Injectable } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import { EventToStore, IngestRouter, StoredRouted } from '@caravan/events';
import { FindMatchingSubscriptions, Subscription } from '@caravan/subscriptions';
import { DeliveryRepository } from '../../repositories/delivery.repository';

/**
 * Routes events by their subscriptions as ingest stores them: the event and its deliveries in one
 * statement, the deliveries claimed for the first attempts an agent then sends (see
 * ClaimedFirstAttempt). This spares each event a routing read, a second write and the rewrite of
 * its row to mark it routed. Events addressed to one endpoint or to an owner's endpoints need a
 * read of those endpoints first: agents route them, as they route what the sweeper finds.
 */
@Injectable()
export class RouteAtIngest extends IngestRouter {
  constructor(
    private readonly subscriptions: FindMatchingSubscriptions,
    private readonly deliveries: DeliveryRepository,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {
    super();
  }

  routes({ event }: EventToStore): boolean {
    return !event.endpointId && !event.ownerId;
  }

  async storeRouted(items: EventToStore[]): Promise<StoredRouted[]> {
    const projects = [...new Set(items.map(({ event }) => event.projectId))];
    const candidates = new Map<string, readonly Subscription[]>(
      await Promise.all(projects.map(async (projectId) => [projectId, await this.subscriptions.candidates(projectId)] as const)),
    );
    const targets = items.map(({ event, data }) =>
      this.subscriptions.among(candidates.get(event.projectId)!, {
        projectId: event.projectId,
        eventType: event.eventType,
        data,
        customHeaders: event.customHeaders,
        sourceId: event.sourceId,
      }),
    );
    // A claim lasts as a claim by DispatchDelivery does: the endpoint's timeout plus the queue lock.
    const stored = await this.deliveries.insertRoutedEvents(
      items.map(({ event }) => event),
      targets,
      this.config.agent.queueLockMs,
    );
    const claimedAt = Date.now();
    return stored.map(({ createdAt, deliveries }) => ({ createdAt, claimedAt, deliveries }));
  }
}
