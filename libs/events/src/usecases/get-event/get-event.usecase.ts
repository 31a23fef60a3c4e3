import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { Event } from '../../entities/event.entity';
import { EventRepository } from '../../repositories/event.repository';

@Injectable()
export class GetEvent {
  constructor(private readonly events: EventRepository) {}

  async execute(projectId: string, eventId: string): Promise<Event> {
    const event = await this.events.findById(projectId, eventId);
    if (!event) throw NotFoundError.of('event', 'event_id');
    return event;
  }
}
