import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { EventContentCache } from '../../cache/event-content-cache';
import { Event } from '../../entities/event.entity';
import { EventRepository } from '../../repositories/event.repository';

@Injectable()
export class GetEvent {
  constructor(
    private readonly events: EventRepository,
    private readonly recent: EventContentCache,
  ) {}

  /** The event as stored now (routing needs its current routed_at). */
  async execute(projectId: string, eventId: string): Promise<Event> {
    const event = await this.events.findById(projectId, eventId);
    if (!event) throw NotFoundError.of('event', 'event_id');
    this.recent.remember(event);
    return event;
  }

  /** For sending: type, payload and custom headers, which never change, from memory when this process saw the event lately. */
  async content(projectId: string, eventId: string): Promise<Event> {
    return this.recent.find(projectId, eventId) ?? this.execute(projectId, eventId);
  }
}
