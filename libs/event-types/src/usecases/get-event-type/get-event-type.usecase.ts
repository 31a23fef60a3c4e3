import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { EventType } from '../../entities/event-type.entity';
import { EventTypeRepository } from '../../repositories/event-type.repository';

@Injectable()
export class GetEventType {
  constructor(private readonly eventTypes: EventTypeRepository) {}

  async execute(projectId: string, name: string): Promise<EventType> {
    const eventType = await this.eventTypes.findByName(projectId, name);
    if (!eventType) throw NotFoundError.of('event type', 'name');
    return eventType;
  }
}
