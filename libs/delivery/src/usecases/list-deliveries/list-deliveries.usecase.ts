import { Injectable } from '@nestjs/common';
import { Page, PageRequest, toPage } from '@caravan/common';
import { DeliveryResponse, presentDelivery } from '../../dtos/delivery.dto';
import { DeliveryFilter, DeliveryRepository } from '../../repositories/delivery.repository';

@Injectable()
export class ListDeliveries {
  constructor(private readonly deliveries: DeliveryRepository) {}

  async execute(projectId: string, page: PageRequest, filter: DeliveryFilter): Promise<Page<DeliveryResponse>> {
    return toPage(await this.deliveries.listPage(projectId, page, filter), page, presentDelivery);
  }
}
