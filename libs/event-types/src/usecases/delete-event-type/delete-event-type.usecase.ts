import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { EventTypeRepository } from '../../repositories/event-type.repository';
import { ValidateEventData } from '../validate-event-data/validate-event-data.usecase';

/** Removes the type from the catalogue; its events are kept, and new ones pass unchecked. */
@Injectable()
export class DeleteEventType {
  constructor(
    private readonly eventTypes: EventTypeRepository,
    private readonly validateEventData: ValidateEventData,
  ) {}

  async execute(projectId: string, name: string): Promise<void> {
    if (!(await this.eventTypes.delete(projectId, name))) throw NotFoundError.of('event type', 'name');
    this.validateEventData.forget(projectId);
  }
}
