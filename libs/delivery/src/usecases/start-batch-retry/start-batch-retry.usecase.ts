import { Injectable, Logger } from '@nestjs/common';
import { newId, ServiceUnavailableError } from '@caravan/common';
import { JobQueue } from '@caravan/queue';
import {
  BatchRetryFilterDto,
  BatchRetryStartedResponse,
  selectionOf,
  toBatchRetryFilter,
} from '../../dtos/resend-deliveries.dto';
import { DeliveryRepository } from '../../repositories/delivery.repository';

/**
 * Accepts a batch retry and leaves the work to the agent's Maintenance queue, since a filter may
 * select millions of deliveries. The batch covers deliveries created up to the moment it was
 * counted, so the count answered and the work done describe the same deliveries.
 */
@Injectable()
export class StartBatchRetry {
  private readonly logger = new Logger(StartBatchRetry.name);

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queue: JobQueue,
  ) {}

  async execute(projectId: string, command: BatchRetryFilterDto): Promise<BatchRetryStartedResponse> {
    const filter = toBatchRetryFilter(command);
    const { count, countedAt } = await this.deliveries.countSelection(projectId, selectionOf(filter));
    // Postgres keeps microseconds, a Date milliseconds: one more keeps everything counted inside.
    const countedUntil = new Date(countedAt.getTime() + 1);
    const createdBefore =
      filter.createdBefore && new Date(filter.createdBefore) < countedUntil
        ? filter.createdBefore
        : countedUntil.toISOString();
    const batchId = newId();
    // Unlike a delivery, the batch exists only as this job: without Redis there is nothing to fall back on.
    await this.queue
      .startBatchRetry({ projectId, batchId, filter: { ...filter, createdBefore } })
      .catch((error: unknown) => {
        this.logger.warn(`batch retry ${batchId} not queued: ${String(error)}`);
        throw new ServiceUnavailableError(
          'the batch retry could not be queued: the queue is unreachable; try again later',
        );
      });
    return { batch_id: batchId, count };
  }
}
