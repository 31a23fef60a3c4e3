import { Injectable, Logger } from '@nestjs/common';
import { GetEvent } from '@caravan/events';
import { JobQueue } from '@caravan/queue';
import { ReplayEventResponse } from '../../dtos/resend-deliveries.dto';
import { RESENDABLE_STATUSES } from '../../repositories/delivery-selection';
import { ResendSelection } from '../resend-selection/resend-selection.usecase';

/**
 * Sends an event again to every endpoint it has a delivery for, whatever their status, except
 * those with an attempt in flight. An event not routed yet is queued for routing, which sends it.
 */
@Injectable()
export class ReplayEvent {
  private readonly logger = new Logger(ReplayEvent.name);

  constructor(
    private readonly getEvent: GetEvent,
    private readonly resendSelection: ResendSelection,
    private readonly queue: JobQueue,
  ) {}

  async execute(projectId: string, eventId: string): Promise<ReplayEventResponse> {
    const event = await this.getEvent.execute(projectId, eventId);
    const queued = await this.resendSelection.execute(projectId, { statuses: RESENDABLE_STATUSES, eventId });
    if (!event.routedAt) {
      // Routing was lost or is still ahead; it creates the deliveries that are missing and queues them.
      await this.queue.routeEvents([{ projectId, eventId }]).catch((error: unknown) => {
        this.logger.warn(
          `event ${eventId} not queued for routing (${String(error)}); the sweeper will route it`,
        );
      });
    }
    return { event_id: eventId, queued };
  }
}
