import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { SubscriptionRepository } from '../../repositories/subscription.repository';
import { GetSubscription } from '../get-subscription/get-subscription.usecase';

@Injectable()
export class DeleteSubscription {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly getSubscription: GetSubscription,
  ) {}

  async execute(projectId: string, subscriptionId: string): Promise<void> {
    if (!(await this.subscriptions.delete(projectId, subscriptionId))) {
      throw NotFoundError.of('subscription', 'subscription_id');
    }
    this.getSubscription.forget(projectId, subscriptionId);
  }
}
