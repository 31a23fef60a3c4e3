import { Injectable } from '@nestjs/common';
import { EventRepository } from '../../repositories/event.repository';

/** Records that an event's deliveries exist, so the sweeper stops offering it for routing. */
@Injectable()
export class MarkEventRouted {
  constructor(private readonly events: EventRepository) {}

  execute(projectId: string, eventId: string): Promise<void> {
    return this.events.markRouted(projectId, eventId);
  }
}
