import { Injectable } from '@nestjs/common';
import { Page, PageRequest, toPage } from '@caravan/common';
import { EventTypeResponse, presentEventType } from '../../dtos/event-type.dto';
import { EventTypeRepository } from '../../repositories/event-type.repository';

@Injectable()
export class ListEventTypes {
  constructor(private readonly eventTypes: EventTypeRepository) {}

  async execute(projectId: string, page: PageRequest, category?: string): Promise<Page<EventTypeResponse>> {
    return toPage(await this.eventTypes.listPage(projectId, page, category), page, presentEventType);
  }
}
