import { Injectable } from '@nestjs/common';
import {
  BatchRetryCountResponse,
  BatchRetryFilterDto,
  selectionOf,
  toBatchRetryFilter,
} from '../../dtos/resend-deliveries.dto';
import { DeliveryRepository } from '../../repositories/delivery.repository';

/** How many deliveries a batch retry with this filter would resend if started now. */
@Injectable()
export class CountBatchRetry {
  constructor(private readonly deliveries: DeliveryRepository) {}

  async execute(projectId: string, command: BatchRetryFilterDto): Promise<BatchRetryCountResponse> {
    const { count } = await this.deliveries.countSelection(
      projectId,
      selectionOf(toBatchRetryFilter(command)),
    );
    return { count };
  }
}
