import { Injectable } from '@nestjs/common';
import { Page, PageRequest, toPage } from '@caravan/common';
import { MetaEventResponse, presentMetaEvent } from '../../dtos/meta-event.dto';
import { MetaEventFilter, MetaEventRepository } from '../../repositories/meta-event.repository';

@Injectable()
export class ListMetaEvents {
  constructor(private readonly metaEvents: MetaEventRepository) {}

  async execute(projectId: string, page: PageRequest, filter: MetaEventFilter): Promise<Page<MetaEventResponse>> {
    return toPage(await this.metaEvents.listPage(projectId, page, filter), page, presentMetaEvent);
  }
}
