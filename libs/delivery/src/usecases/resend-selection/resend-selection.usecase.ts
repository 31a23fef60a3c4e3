import { Injectable } from '@nestjs/common';
import { DeliverySelection } from '../../repositories/delivery-selection';
import { DeliveryRepository } from '../../repositories/delivery.repository';
import { QueueNextAttempts } from '../queue-next-attempts/queue-next-attempts.usecase';

/** Where a walk over a selection got to; a walk that starts from it resumes there. */
export interface ResendProgress {
  afterId: string | null;
  queued: number;
}

const BATCH = 500;

/**
 * Walks a selection in id order, a batch at a time (never all of it in memory), makes each
 * delivery due now and queues its next attempt. Each delivery is taken at most once per walk,
 * even if it fails again while the walk goes on. Returns how many it queued.
 */
@Injectable()
export class ResendSelection {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queueNextAttempts: QueueNextAttempts,
  ) {}

  async execute(
    projectId: string,
    selection: DeliverySelection,
    from: ResendProgress = { afterId: null, queued: 0 },
    onBatch: (progress: ResendProgress) => Promise<void> = async () => undefined,
  ): Promise<number> {
    let { afterId, queued } = from;
    for (;;) {
      const batch = await this.deliveries.resendSelectionBatch(projectId, selection, afterId, BATCH);
      if (batch.lastId === null) return queued;
      await this.queueNextAttempts.execute(batch.due);
      queued += batch.due.length;
      afterId = batch.lastId;
      await onBatch({ afterId, queued });
    }
  }
}
