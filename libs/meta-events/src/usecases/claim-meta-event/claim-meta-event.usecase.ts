import { Injectable } from '@nestjs/common';
import { ClaimedMetaEvent, MetaEventRepository } from '../../repositories/meta-event.repository';

/** Takes a due meta event for one attempt; null when it is not due (another worker has it, or it is done). */
@Injectable()
export class ClaimMetaEvent {
  constructor(private readonly metaEvents: MetaEventRepository) {}

  execute(projectId: string, metaEventId: string, lockMs: number): Promise<ClaimedMetaEvent | null> {
    return this.metaEvents.claim(projectId, metaEventId, lockMs);
  }
}
