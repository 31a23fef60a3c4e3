import { Injectable } from '@nestjs/common';
import { Page, PageRequest, toPage } from '@caravan/common';
import { EventResponse, presentEvent } from '../../dtos/event.dto';
import { EventFilter, EventRepository } from '../../repositories/event.repository';

@Injectable()
export class ListEvents {
  constructor(private readonly events: EventRepository) {}

  async execute(projectId: string, page: PageRequest, filter: EventFilter): Promise<Page<EventResponse>> {
    return toPage(await this.events.listPage(projectId, page, filter), page, presentEvent);
  }
}
