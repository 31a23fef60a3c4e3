import { Injectable } from '@nestjs/common';
import { EventRepository } from '../../repositories/event.repository';

/** Events acknowledged but never routed: their queue job was lost or never made it to Redis. */
@Injectable()
export class FindUnroutedEvents {
  constructor(private readonly events: EventRepository) {}

  async execute(createdBefore: Date, limit: number): Promise<{ projectId: string; eventId: string }[]> {
    const rows = await this.events.findUnrouted(createdBefore, limit);
    return rows.map((row) => ({ projectId: row.projectId, eventId: row.id }));
  }
}
