import { Injectable } from '@nestjs/common';
import { NotFoundError, RecentValues } from '@caravan/common';
import { Subscription } from '../../entities/subscription.entity';
import { SubscriptionRepository } from '../../repositories/subscription.repository';

@Injectable()
export class GetSubscription {
  private readonly recentlyRead = new RecentValues<Subscription | null>(1000);

  constructor(private readonly subscriptions: SubscriptionRepository) {}

  /** For hot paths that only read it (a delivery's retry override): at most a second old, null when gone; not to be changed. */
  recent(projectId: string, subscriptionId: string): Promise<Subscription | null> {
    return this.recentlyRead.get(`${projectId}/${subscriptionId}`, () => this.subscriptions.findById(projectId, subscriptionId));
  }

  /** This process changed or deleted it: its next read is fresh. */
  forget(projectId: string, subscriptionId: string): void {
    this.recentlyRead.forget(`${projectId}/${subscriptionId}`);
  }

  async execute(projectId: string, subscriptionId: string): Promise<Subscription> {
    const subscription = await this.subscriptions.findById(projectId, subscriptionId);
    if (!subscription) throw NotFoundError.of('subscription', 'subscription_id');
    return subscription;
  }
}
