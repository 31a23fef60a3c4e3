import { Injectable } from '@nestjs/common';
import { InvalidInputError } from '@caravan/common';
import { UpdateEventTypeDto } from '../../dtos/event-type.dto';
import { EventType } from '../../entities/event-type.entity';
import { EventTypeRepository } from '../../repositories/event-type.repository';
import { compileEventSchema } from '../../schema/event-schema';
import { GetEventType } from '../get-event-type/get-event-type.usecase';
import { ValidateEventData } from '../validate-event-data/validate-event-data.usecase';

/** Changes what is given; a new schema is checked like on creation and applies to the next event. */
@Injectable()
export class UpdateEventType {
  constructor(
    private readonly eventTypes: EventTypeRepository,
    private readonly getEventType: GetEventType,
    private readonly validateEventData: ValidateEventData,
  ) {}

  async execute(projectId: string, name: string, command: UpdateEventTypeDto): Promise<EventType> {
    for (const field of ['description', 'deprecated'] as const) {
      if (command[field] === null) throw new InvalidInputError(`${field} cannot be null`, field);
    }
    if (command.schema) compileEventSchema(command.schema);
    const eventType = await this.getEventType.execute(projectId, name);
    if (command.description !== undefined) eventType.description = command.description;
    if (command.category !== undefined) eventType.category = command.category;
    if (command.schema !== undefined) eventType.schema = command.schema;
    if (command.deprecated !== undefined) eventType.deprecated = command.deprecated;
    const updated = await this.eventTypes.save(eventType);
    this.validateEventData.forget(projectId);
    return updated;
  }
}
