import type { RoutedDelivery } from '@caravan/queue';
import type { Event } from '../../entities/event.entity';

/** An event to store, with its data parsed (routing filters on it). */
export interface EventToStore {
  event: Event;
  data: unknown;
}

/** An event stored routed: when it was stored, and its deliveries, claimed for their first attempts at `claimedAt`. */
export interface StoredRouted {
  createdAt: Date;
  claimedAt: number;
  deliveries: RoutedDelivery[];
}

/**
 * Routes events as they are stored, in the same statement (provided by the delivery lib, which
 * owns deliveries): an event stored this way needs no routing by an agent, only its first
 * attempts sent. The events it does not take are stored unrouted, and an agent routes them.
 */
export abstract class IngestRouter {
  /** Whether it stores this event (decided without I/O). */
  abstract routes(item: EventToStore): boolean;

  /** Stores the events with their deliveries in one statement, all or none. */
  abstract storeRouted(items: EventToStore[]): Promise<StoredRouted[]>;
}
