import { Injectable } from '@nestjs/common';
import { ConflictError, NotFoundError } from '@caravan/common';
import { DeliveryResponse, presentDelivery } from '../../dtos/delivery.dto';
import { EventDelivery } from '../../entities/event-delivery.entity';
import { ResendableStatus } from '../../repositories/delivery-selection';
import { DeliveryRepository } from '../../repositories/delivery.repository';
import { QueueNextAttempts } from '../queue-next-attempts/queue-next-attempts.usecase';

/** A retry sends what is still owed; sending a finished delivery again is force_resend's job. */
const RETRYABLE: ResendableStatus[] = ['failure', 'retry', 'scheduled'];

/**
 * Sends one delivery's next attempt now. A failed delivery becomes `retry` with its attempt count
 * kept, so it gets one more attempt beyond its retry budget and ends `failure` if that fails too.
 */
@Injectable()
export class RetryDelivery {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queueNextAttempts: QueueNextAttempts,
  ) {}

  async execute(projectId: string, deliveryId: string): Promise<DeliveryResponse> {
    const [due] = await this.deliveries.resendNow(projectId, [deliveryId], RETRYABLE);
    const delivery = await this.deliveries.findById(projectId, deliveryId);
    if (!delivery) throw NotFoundError.of('delivery', 'delivery_id');
    if (!due) throw notRetryable(delivery);
    await this.queueNextAttempts.execute([due]);
    return presentDelivery(delivery);
  }
}

function notRetryable(delivery: EventDelivery): ConflictError {
  switch (delivery.status) {
    case 'processing':
      return new ConflictError('delivery has an attempt in flight; retry it once that attempt ends');
    case 'success':
      return new ConflictError(
        'delivery already succeeded; use POST .../deliveries/force_resend to send it again',
      );
    default:
      return new ConflictError(
        `delivery is ${delivery.status}; use POST .../deliveries/force_resend to send it again`,
      );
  }
}
