import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { MetaEventWithAttemptsResponse, presentMetaEvent, presentMetaEventAttempt } from '../../dtos/meta-event.dto';
import { MetaEventRepository } from '../../repositories/meta-event.repository';

@Injectable()
export class GetMetaEvent {
  constructor(private readonly metaEvents: MetaEventRepository) {}

  async execute(projectId: string, metaEventId: string): Promise<MetaEventWithAttemptsResponse> {
    const metaEvent = await this.metaEvents.findById(projectId, metaEventId);
    if (!metaEvent) throw NotFoundError.of('meta event', 'meta_event_id');
    const attempts = await this.metaEvents.attemptsOf(projectId, metaEventId);
    return { ...presentMetaEvent(metaEvent), attempts: attempts.map(presentMetaEventAttempt) };
  }
}
