import { Injectable } from '@nestjs/common';
import { Page, PageRequest, toPage } from '@caravan/common';
import { presentSubscription, SubscriptionResponse } from '../../dtos/subscription.dto';
import { SubscriptionRepository } from '../../repositories/subscription.repository';

@Injectable()
export class ListSubscriptions {
  constructor(private readonly subscriptions: SubscriptionRepository) {}

  async execute(projectId: string, page: PageRequest, endpointId?: string): Promise<Page<SubscriptionResponse>> {
    return toPage(await this.subscriptions.listPage(projectId, page, endpointId), page, presentSubscription);
  }
}
