import { Injectable, Logger } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@caravan/common';
import { JobQueue } from '@caravan/queue';
import { MetaEventResponse, presentMetaEvent } from '../../dtos/meta-event.dto';
import { MetaEventRepository } from '../../repositories/meta-event.repository';

/**
 * Sends a meta event again now, whatever its status (a receiver may have lost a successful one),
 * as one more attempt: its count is kept, so a resent event that fails is not retried again.
 */
@Injectable()
export class ResendMetaEvent {
  private readonly logger = new Logger(ResendMetaEvent.name);

  constructor(
    private readonly metaEvents: MetaEventRepository,
    private readonly queue: JobQueue,
  ) {}

  async execute(projectId: string, metaEventId: string): Promise<MetaEventResponse> {
    const attemptCount = await this.metaEvents.resendNow(projectId, metaEventId);
    const metaEvent = await this.metaEvents.findById(projectId, metaEventId);
    if (!metaEvent) throw NotFoundError.of('meta event', 'meta_event_id');
    if (attemptCount === null) throw new ConflictError('meta event has an attempt in flight; resend it once that attempt ends');
    // A retry still waiting out its backoff has a delayed job of this id: it is brought forward.
    await this.queue.sendMetaEventsEarly([{ projectId, metaEventId, attempt: attemptCount + 1 }]).catch((error: unknown) => {
      this.logger.warn(`meta event ${metaEventId} made due but not queued (${String(error)}); the sweeper will send it`);
    });
    return presentMetaEvent(metaEvent);
  }
}
