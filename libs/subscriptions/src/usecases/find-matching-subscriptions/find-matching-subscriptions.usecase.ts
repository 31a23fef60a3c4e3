import { Injectable, Logger } from '@nestjs/common';
import { ConfigChanges, NotifiedCache } from '@caravan/database';
import { EventTypePattern } from '../../event-type-pattern';
import { Subscription } from '../../entities/subscription.entity';
import { compileSubscriptionFilter, FilterSubject, filterSubject } from '../../filters/subscription-filter';
import { SubscriptionRepository } from '../../repositories/subscription.repository';

export interface SubscriptionMatch {
  subscriptionId: string;
  endpointId: string;
}

/** What matching looks at in an event. */
export interface MatchableEvent {
  projectId: string;
  eventType: string;
  /** The event's data, parsed. */
  data: unknown;
  customHeaders: Record<string, string> | null;
  /** The source that received the event; null (or absent) for events sent through the API. */
  sourceId?: string | null;
}

/**
 * The subscriptions an event passes: they belong to the event's source (events sent through the
 * API: to no source), its type matches one of their patterns and it passes their filter. A
 * project's subscriptions are kept in memory until one of them changes: PostgreSQL announces each
 * change as it commits (ConfigChanges), before the api answers the request that made it, so an
 * event sent after that answer is routed by the new subscriptions. Without the announcements each
 * routing reads them, one query shared by the routings running at that moment. Each filter is
 * compiled at most once per call, and only for subscriptions whose types match.
 * One match per endpoint: an endpoint with several matching subscriptions gets one delivery.
 */
@Injectable()
export class FindMatchingSubscriptions {
  private readonly logger = new Logger(FindMatchingSubscriptions.name);

  private readonly ofProject: NotifiedCache<readonly Subscription[]>;

  constructor(
    private readonly subscriptions: SubscriptionRepository,
    changes: ConfigChanges,
  ) {
    this.ofProject = new NotifiedCache(changes, (change) => (change.table === 'subscriptions' ? change.projectId : null));
  }

  /** The project's subscriptions, to match with `among`: routing reads them while it reads the event. */
  candidates(projectId: string): Promise<readonly Subscription[]> {
    return this.ofProject.get(projectId, () => this.subscriptions.allOfProject(projectId));
  }

  /** The matches among `candidates`, which must be the event's project's subscriptions. */
  among(candidates: readonly Subscription[], event: MatchableEvent): SubscriptionMatch[] {
    const subject = filterSubject(event.data, event.customHeaders);
    const matches = new Map<string, SubscriptionMatch>();
    for (const subscription of candidates) {
      if (subscription.projectId !== event.projectId) continue;
      if (matches.has(subscription.endpointId)) continue;
      if ((subscription.sourceId ?? null) !== (event.sourceId ?? null)) continue;
      if (!subscription.eventTypes.some((pattern) => new EventTypePattern(pattern).matches(event.eventType)))
        continue;
      if (!this.passesFilter(subscription, subject)) continue;
      matches.set(subscription.endpointId, {
        subscriptionId: subscription.id,
        endpointId: subscription.endpointId,
      });
    }
    return [...matches.values()];
  }

  private passesFilter(subscription: Subscription, subject: FilterSubject): boolean {
    if (!subscription.filter) return true;
    try {
      return compileSubscriptionFilter(subscription.filter)(subject);
    } catch (error) {
      // Filters are validated when written, so only a stricter rule since then gets here: skip the
      // subscription rather than fail routing of the whole event over and over.
      this.logger.warn(
        `subscription ${subscription.id} has a filter that no longer compiles: ${(error as Error).message}`,
      );
      return false;
    }
  }
}
