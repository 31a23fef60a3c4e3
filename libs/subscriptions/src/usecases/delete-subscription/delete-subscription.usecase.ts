import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { SubscriptionRepository } from '../../repositories/subscription.repository';

@Injectable()
export class DeleteSubscription {
  constructor(private readonly subscriptions: SubscriptionRepository) {}

  async execute(projectId: string, subscriptionId: string): Promise<void> {
    if (!(await this.subscriptions.delete(projectId, subscriptionId))) {
      throw NotFoundError.of('subscription', 'subscription_id');
    }
  }
}
