import { Injectable } from '@nestjs/common';
import { Page, toPage, toPageRequest } from '@caravan/common';
import { EventResponse, ListEventsQueryDto, presentEvent, toEventFilter } from '../../dtos/event.dto';
import { EventRepository } from '../../repositories/event.repository';

/** Searches a project's events: every filter of the query narrows the page, newest first. */
@Injectable()
export class ListEvents {
  constructor(private readonly events: EventRepository) {}

  async execute(projectId: string, query: ListEventsQueryDto): Promise<Page<EventResponse>> {
    const page = toPageRequest(query);
    return toPage(await this.events.listPage(projectId, page, toEventFilter(query)), page, presentEvent);
  }
}
