import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { FindEndpoints } from '@caravan/endpoints';
import type { ValidateEventData } from '@caravan/event-types';
import type { GetProject } from '@caravan/projects';
import type { JobQueue, RouteEventJob } from '@caravan/queue';
import { EventContentCache } from '../../cache/event-content-cache';
import type { CreateEventDto } from '../../dtos/event.dto';
import type { Event } from '../../entities/event.entity';
import type { EventRepository } from '../../repositories/event.repository';
import { IngestEvent } from './ingest-event.usecase';
import { EventToStore, IngestRouter, StoredRouted } from './ingest-router';

/** Fakes of the store, the queue and the router (no database or Redis here): they record what they were asked. */
class FakeEvents {
  readonly storedUnrouted: string[] = [];

  async insertMany(events: Event[]): Promise<Date[]> {
    this.storedUnrouted.push(...events.map((event) => event.eventType));
    return events.map(() => new Date());
  }
}

class FakeQueue {
  readonly routingJobs: RouteEventJob[] = [];

  async routeEvents(jobs: RouteEventJob[]): Promise<void> {
    this.routingJobs.push(...jobs);
  }
}

/** Routes events of types starting with "routed"; "routed.none" matches no subscription. Fails when told to. */
class FakeRouter extends IngestRouter {
  failing = false;
  readonly storedRouted: string[] = [];

  routes({ event }: EventToStore): boolean {
    return event.eventType.startsWith('routed');
  }

  async storeRouted(items: EventToStore[]): Promise<StoredRouted[]> {
    if (this.failing) throw new Error('database gone');
    this.storedRouted.push(...items.map(({ event }) => event.eventType));
    return items.map(({ event }) => ({
      createdAt: new Date(),
      claimedAt: 1234,
      deliveries: event.eventType === 'routed.none' ? [] : [{ id: `d-${event.eventType}`, endpointId: 'e1', subscriptionId: 's1' }],
    }));
  }
}

function ingestWith(router: IngestRouter | undefined) {
  const events = new FakeEvents();
  const queue = new FakeQueue();
  const ingest = new IngestEvent(
    events as unknown as EventRepository,
    {} as FindEndpoints,
    queue as unknown as JobQueue,
    {} as GetProject,
    new EventContentCache(),
    { execute: async () => undefined } as unknown as ValidateEventData,
    router,
  );
  const send = (eventType: string) => ingest.execute('p1', { event_type: eventType, data: { n: 1 } } as CreateEventDto);
  return { send, events, queue };
}

describe('IngestEvent with a router (fake store, queue and router)', () => {
  it('stores the events the router takes routed, and hands their claimed first attempts to an agent', async () => {
    const router = new FakeRouter();
    const { send, events, queue } = ingestWith(router);
    const [routed, unrouted] = await Promise.all([send('routed.one'), send('other')]);
    assert.deepEqual(router.storedRouted, ['routed.one']);
    assert.deepEqual(events.storedUnrouted, ['other'], 'the others are stored unrouted, in the same flush');
    assert.ok(routed.event.routedAt, 'a routed event shows routed_at at once');
    assert.equal(unrouted.event.routedAt, null);

    const jobOf = (eventId: string) => queue.routingJobs.find((job) => job.eventId === eventId);
    assert.deepEqual(jobOf(routed.event.id)?.routed, { claimedAt: 1234, deliveries: [{ id: 'd-routed.one', endpointId: 'e1', subscriptionId: 's1' }] });
    assert.equal(jobOf(unrouted.event.id)?.routed, undefined, 'an agent routes the other');
  });

  it('queues nothing for an event routed to nobody', async () => {
    const { send, queue } = ingestWith(new FakeRouter());
    const { event } = await send('routed.none');
    assert.ok(event.routedAt);
    assert.deepEqual(queue.routingJobs, []);
  });

  it('stores the events unrouted, for an agent to route, when routing them fails: the 202 does not depend on it', async () => {
    const router = new FakeRouter();
    router.failing = true;
    const { send, events, queue } = ingestWith(router);
    const { event } = await send('routed.one');
    assert.deepEqual(events.storedUnrouted, ['routed.one']);
    assert.equal(event.routedAt, null);
    assert.equal(queue.routingJobs.length, 1);
    assert.equal(queue.routingJobs[0].routed, undefined);
  });

  it('stores every event unrouted without a router', async () => {
    const { send, events, queue } = ingestWith(undefined);
    await send('routed.one');
    assert.deepEqual(events.storedUnrouted, ['routed.one']);
    assert.equal(queue.routingJobs[0].routed, undefined);
  });
});
