import { Injectable } from '@nestjs/common';
import { ForceResendDto, ForceResendResponse } from '../../dtos/resend-deliveries.dto';
import { RESENDABLE_STATUSES } from '../../repositories/delivery-selection';
import { DeliveryRepository } from '../../repositories/delivery.repository';
import { QueueNextAttempts } from '../queue-next-attempts/queue-next-attempts.usecase';

/**
 * Sends deliveries again whatever their status, successful ones included, as their next attempt:
 * a receiver sees a higher X-Caravan-Attempt and the same idempotency key. One whose attempt is in
 * flight is skipped rather than sent twice at once.
 */
@Injectable()
export class ForceResendDeliveries {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queueNextAttempts: QueueNextAttempts,
  ) {}

  async execute(projectId: string, command: ForceResendDto): Promise<ForceResendResponse> {
    const ids = [...new Set(command.ids.map((id) => id.toLowerCase()))];
    const due = await this.deliveries.resendNow(projectId, ids, RESENDABLE_STATUSES);
    await this.queueNextAttempts.execute(due);
    const resent = new Set(due.map((delivery) => delivery.id));
    return { queued: due.length, skipped: ids.filter((id) => !resent.has(id)) };
  }
}
