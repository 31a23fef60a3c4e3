import { Inject, Injectable } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import { FindEndpoints } from '@caravan/endpoints';
import { FindUnroutedEvents } from '@caravan/events';
import { JobQueue } from '@caravan/queue';
import { DeliveryRepository } from '../../repositories/delivery.repository';

export interface SweepReport {
  events: number;
  deliveries: number;
}

const BATCH = 1000;

/**
 * Postgres is the record of what is owed; Redis only holds nudges. This finds work that is due
 * but has no job (Redis lost it, an agent died mid-attempt, a queue call failed) and queues it
 * again. Job ids are deterministic, so work that does have a job is not queued twice.
 */
@Injectable()
export class SweepPendingWork {
  constructor(
    private readonly unroutedEvents: FindUnroutedEvents,
    private readonly endpoints: FindEndpoints,
    private readonly deliveries: DeliveryRepository,
    private readonly queue: JobQueue,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  async execute(): Promise<SweepReport> {
    const cutoff = new Date(Date.now() - this.config.agent.sweepGraceMs);

    const events = await this.unroutedEvents.execute(cutoff, BATCH);
    await this.queue.routeEvents(events);

    const due = await this.deliveries.findDue(cutoff, await this.endpoints.idsNotActive(), BATCH);
    await this.queue.deliver(
      due.map((delivery) => ({
        projectId: delivery.projectId,
        deliveryId: delivery.id,
        endpointId: delivery.endpointId,
        // A processing delivery whose lock expired repeats its attempt; others start the next one.
        attempt: delivery.status === 'processing' ? delivery.attemptCount : delivery.attemptCount + 1,
      })),
    );
    return { events: events.length, deliveries: due.length };
  }
}
