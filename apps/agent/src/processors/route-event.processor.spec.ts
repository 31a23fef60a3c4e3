import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { RouteEvent } from '@caravan/delivery';
import { DeliverJob, QueuedJob, QueueName, RouteEventJob, RoutingJob } from '@caravan/queue';
import type { InlineFirstAttempts } from './inline-first-attempts';
import { RouteEventProcessor } from './route-event.processor';

/** Fake routing (no database here): each event creates as many deliveries as its id's number, or fails. */
class FakeRouting {
  readonly routed: string[] = [];

  async execute(job: RouteEventJob, start: (jobs: DeliverJob[]) => Promise<void>): Promise<number> {
    this.routed.push(job.eventId);
    if (job.eventId === 'bad') throw new Error('cannot route bad');
    const count = Number(job.eventId.replace('ev', ''));
    const jobs = Array.from({ length: count }, (_, i) => ({ projectId: job.projectId, deliveryId: `${job.eventId}-d${i}`, endpointId: 'e', attempt: 1 }));
    await start(jobs);
    return count;
  }
}

class FakeFirstAttempts {
  readonly started: DeliverJob[] = [];

  async start(jobs: DeliverJob[]): Promise<void> {
    this.started.push(...jobs);
  }
}

const queued = (data: RoutingJob): QueuedJob<RoutingJob> => ({ id: 'r', name: QueueName.Routing, data, progress: undefined, saveProgress: async () => undefined });
const event = (eventId: string): RouteEventJob => ({ projectId: 'p', eventId });

function processorWith() {
  const routing = new FakeRouting();
  const firstAttempts = new FakeFirstAttempts();
  const processor = new RouteEventProcessor(routing as unknown as RouteEvent, firstAttempts as unknown as InlineFirstAttempts);
  return { processor, routing, firstAttempts };
}

describe('RouteEventProcessor (fake routing)', () => {
  it('routes a job of one event, as the sweeper queues them', async () => {
    const { processor, routing, firstAttempts } = processorWith();
    assert.equal(await processor.handle(queued(event('ev2'))), 2);
    assert.deepEqual(routing.routed, ['ev2']);
    assert.deepEqual(firstAttempts.started.map((job) => job.deliveryId), ['ev2-d0', 'ev2-d1']);
  });

  it('routes every event of a batch job and answers the number of deliveries they created', async () => {
    const { processor, routing, firstAttempts } = processorWith();
    assert.equal(await processor.handle(queued({ events: [event('ev1'), event('ev3'), event('ev0')] })), 4);
    assert.deepEqual(routing.routed, ['ev1', 'ev3', 'ev0']);
    assert.equal(firstAttempts.started.length, 4);
  });

  it('fails a batch job with an event that failed, after routing the others, so its retry finds only that one left', async () => {
    const { processor, routing, firstAttempts } = processorWith();
    await assert.rejects(processor.handle(queued({ events: [event('ev1'), event('bad'), event('ev2')] })), /cannot route bad/);
    assert.deepEqual(routing.routed, ['ev1', 'bad', 'ev2']);
    assert.equal(firstAttempts.started.length, 3, 'the events that could be routed were');
  });
});
