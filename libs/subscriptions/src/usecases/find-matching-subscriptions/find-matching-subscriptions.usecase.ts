import { Injectable } from '@nestjs/common';
import { EventTypePattern } from '../../event-type-pattern';
import { SubscriptionRepository } from '../../repositories/subscription.repository';

export interface SubscriptionMatch {
  subscriptionId: string;
  endpointId: string;
}

/** One match per endpoint: an endpoint with several matching subscriptions gets one delivery. */
@Injectable()
export class FindMatchingSubscriptions {
  constructor(private readonly subscriptions: SubscriptionRepository) {}

  async execute(projectId: string, eventType: string, endpointId?: string): Promise<SubscriptionMatch[]> {
    const matches = new Map<string, SubscriptionMatch>();
    for (const subscription of await this.subscriptions.allOfProject(projectId)) {
      if (endpointId && subscription.endpointId !== endpointId) continue;
      if (matches.has(subscription.endpointId)) continue;
      if (subscription.eventTypes.some((pattern) => new EventTypePattern(pattern).matches(eventType))) {
        matches.set(subscription.endpointId, { subscriptionId: subscription.id, endpointId: subscription.endpointId });
      }
    }
    return [...matches.values()];
  }
}
