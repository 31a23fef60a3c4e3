import { Injectable } from '@nestjs/common';
import { newId } from '@caravan/common';
import { CreateEventTypeDto } from '../../dtos/event-type.dto';
import { EventType } from '../../entities/event-type.entity';
import { EventTypeRepository } from '../../repositories/event-type.repository';
import { compileEventSchema } from '../../schema/event-schema';
import { ValidateEventData } from '../validate-event-data/validate-event-data.usecase';

/** Registers an event type; its schema, if any, is checked by compiling it (400 naming `schema`). 409 on a name already registered. */
@Injectable()
export class CreateEventType {
  constructor(
    private readonly eventTypes: EventTypeRepository,
    private readonly validateEventData: ValidateEventData,
  ) {}

  async execute(projectId: string, command: CreateEventTypeDto): Promise<EventType> {
    if (command.schema) compileEventSchema(command.schema);
    const eventType = new EventType();
    eventType.id = newId();
    eventType.projectId = projectId;
    eventType.name = command.name;
    eventType.description = command.description ?? '';
    eventType.category = command.category ?? null;
    eventType.schema = command.schema ?? null;
    eventType.deprecated = command.deprecated ?? false;
    const created = await this.eventTypes.insert(eventType);
    this.validateEventData.forget(projectId);
    return created;
  }
}
