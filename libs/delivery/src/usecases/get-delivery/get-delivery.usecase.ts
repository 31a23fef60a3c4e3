import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { AttemptResponse, DeliveryWithAttemptsResponse, presentAttempt, presentDelivery } from '../../dtos/delivery.dto';
import { DeliveryRepository } from '../../repositories/delivery.repository';

@Injectable()
export class GetDelivery {
  constructor(private readonly deliveries: DeliveryRepository) {}

  async execute(projectId: string, deliveryId: string): Promise<DeliveryWithAttemptsResponse> {
    const delivery = await this.deliveries.findById(projectId, deliveryId);
    if (!delivery) throw NotFoundError.of('delivery', 'delivery_id');
    const attempts = await this.deliveries.attemptsOf(projectId, deliveryId);
    return { ...presentDelivery(delivery), attempts: attempts.map(presentAttempt) };
  }

  async attempts(projectId: string, deliveryId: string): Promise<AttemptResponse[]> {
    return (await this.execute(projectId, deliveryId)).attempts;
  }
}
