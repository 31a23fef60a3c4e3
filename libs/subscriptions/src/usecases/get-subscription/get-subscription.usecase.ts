import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { Subscription } from '../../entities/subscription.entity';
import { SubscriptionRepository } from '../../repositories/subscription.repository';

@Injectable()
export class GetSubscription {
  constructor(private readonly subscriptions: SubscriptionRepository) {}

  async execute(projectId: string, subscriptionId: string): Promise<Subscription> {
    const subscription = await this.subscriptions.findById(projectId, subscriptionId);
    if (!subscription) throw NotFoundError.of('subscription', 'subscription_id');
    return subscription;
  }
}
