import { Injectable } from '@nestjs/common';
import { Event } from '../entities/event.entity';

// Enough for the events in flight on a busy agent, bounded by payload bytes as well as count.
const MAX_EVENTS = 20_000;
const MAX_PAYLOAD_CHARS = 32 * 1024 * 1024;

/**
 * Recently seen events by id. What a delivery sends of an event (type, payload, custom headers)
 * never changes, so the agent that routed an event can sign and send its deliveries without
 * reading it again. Least recently stored entries go first.
 */
@Injectable()
export class EventContentCache {
  private readonly events = new Map<string, Event>();
  private payloadChars = 0;

  remember(event: Event): void {
    if (event.payload.length > MAX_PAYLOAD_CHARS / 16) return;
    this.forget(event.id);
    this.events.set(event.id, event);
    this.payloadChars += event.payload.length;
    while (this.events.size > MAX_EVENTS || this.payloadChars > MAX_PAYLOAD_CHARS) {
      this.forget(this.events.keys().next().value!);
    }
  }

  find(projectId: string, eventId: string): Event | null {
    const event = this.events.get(eventId);
    return event && event.projectId === projectId ? event : null;
  }

  private forget(eventId: string): void {
    const event = this.events.get(eventId);
    if (!event) return;
    this.events.delete(eventId);
    this.payloadChars -= event.payload.length;
  }
}
