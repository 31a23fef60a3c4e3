import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { BullMqJobQueue } from './bullmq-job-queue';
import { eventsOf, QueueName, RouteEventJob, RouteEventsJob, RoutingJob } from './queue-names';
import { RedisConnection } from './redis-connection.provider';
import { RoutedHandoff } from './routed-handoff';
import { disposeRedisTestConnection, redisTestConnection } from './testing/redis-test-connection';

const event = (n: number): RouteEventJob => ({ projectId: 'p', eventId: `ev${n}`, traceparent: `tp${n}` });

describe('BullMqJobQueue against the local Redis', () => {
  const prefix = `caravan-test-${randomUUID()}`;
  let queues: Record<QueueName, Queue>;
  let jobQueue: BullMqJobQueue;
  let redis: RedisConnection;
  let handoff: RoutedHandoff;

  before(() => {
    redis = redisTestConnection();
    handoff = new RoutedHandoff(redis);
    const open = (name: QueueName) => new Queue(name, { connection: { host: '127.0.0.1', port: 6379 }, prefix });
    queues = {
      [QueueName.Routing]: open(QueueName.Routing),
      [QueueName.Delivery]: open(QueueName.Delivery),
      [QueueName.Maintenance]: open(QueueName.Maintenance),
      [QueueName.MetaEvents]: open(QueueName.MetaEvents),
    };
    jobQueue = new BullMqJobQueue(queues.routing, queues.delivery, queues.maintenance, queues['meta-events'], handoff);
  });

  after(async () => {
    for (const queue of Object.values(queues)) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    await disposeRedisTestConnection(redis);
  });

  async function waitingRoutingJobs(): Promise<RoutingJob[]> {
    const jobs = await queues.routing.getJobs(['waiting']);
    await queues.routing.drain();
    return jobs.map((job) => job.data as RoutingJob);
  }

  it('queues one event as a job of its own, named after the event, so the sweeper cannot queue it twice', async () => {
    await jobQueue.routeEvents([event(1)]);
    await jobQueue.routeEvents([event(1)]);
    assert.deepEqual(await waitingRoutingJobs(), [event(1)]);
  });

  it('queues the events given together as one job, and more than a hundred as jobs of a hundred, keeping every traceparent', async () => {
    await jobQueue.routeEvents([event(1), event(2), event(3)]);
    const three = await waitingRoutingJobs();
    assert.equal(three.length, 1);
    assert.deepEqual(eventsOf(three[0]), [event(1), event(2), event(3)]);

    const many = Array.from({ length: 250 }, (_, i) => event(i));
    await jobQueue.routeEvents(many);
    const jobs = await waitingRoutingJobs();
    assert.deepEqual(jobs.map((job) => eventsOf(job).length).sort((a, b) => a - b), [50, 100, 100]);
    assert.deepEqual(jobs.flatMap(eventsOf).map((e) => e.eventId).sort(), many.map((e) => e.eventId).sort());
  });

  it('hands the events routed at ingest to the agents as one list message, and queues only the others as a job', async () => {
    const routed = (n: number): RouteEventJob => ({
      ...event(n),
      routed: { claimedAt: 1000 + n, deliveries: [{ id: `dl${n}`, endpointId: 'ep', subscriptionId: 'sub' }] },
    });
    await jobQueue.routeEvents([routed(1), event(2), routed(3)]);

    assert.deepEqual(await waitingRoutingJobs(), [event(2)]);
    assert.deepEqual(await handoff.waiting(), { messages: 1, oldestClaimedAt: 1001 });
    const message = JSON.parse((await redis.client.rpop(handoff.key))!) as RouteEventsJob;
    assert.deepEqual(message.events, [routed(1), routed(3)]);
  });
});
