import { after, afterEach, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { CaravanConfig } from '@caravan/common';
import { JobHandler, QueuedJob } from './job-handler';
import { eventsOf, RouteEventJob, RoutingJob } from './queue-names';
import { RedisConnection } from './redis-connection.provider';
import { RoutedHandoff } from './routed-handoff';
import { routedHandoffWorker } from './routed-handoff-worker';
import { disposeRedisTestConnection, redisTestConnection, TEST_REDIS_URL } from './testing/redis-test-connection';
import { until } from './testing/until';

const routed = (n: number): RouteEventJob => ({
  projectId: 'p',
  eventId: `ev${n}`,
  routed: { claimedAt: Date.now(), deliveries: [{ id: `dl${n}`, endpointId: 'ep', subscriptionId: null }] },
});

/** Records the routing jobs it is given; each waits for `gate` when one is set. */
class RecordingRoutingHandler extends JobHandler<RoutingJob> {
  readonly handled: QueuedJob<RoutingJob>[] = [];
  gate: Promise<void> | null = null;
  failNext = false;

  async handle(job: QueuedJob<RoutingJob>): Promise<void> {
    this.handled.push(job);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('routing failed');
    }
    await this.gate;
  }

  eventIds(): string[] {
    return this.handled.flatMap((job) => eventsOf(job.data).map((event) => event.eventId));
  }
}

/** Waits up to 5 s for `what`. */
const waitFor = (condition: () => boolean | Promise<boolean>, what: string) => until(condition, 5000, what);

describe('RoutedHandoffWorker against the local Redis', () => {
  let redis: RedisConnection;
  let handoff: RoutedHandoff;
  let handler: RecordingRoutingHandler;
  let worker: InstanceType<ReturnType<typeof routedHandoffWorker>> | null = null;

  before(() => {
    redis = redisTestConnection();
    handoff = new RoutedHandoff(redis);
  });

  after(() => disposeRedisTestConnection(redis));

  afterEach(async () => {
    handler.gate = null;
    await worker?.beforeApplicationShutdown();
    worker = null;
    await redis.client.del(handoff.key);
  });

  function startWorker(): void {
    handler = new RecordingRoutingHandler();
    const redisConfig: CaravanConfig['redis'] = { url: TEST_REDIS_URL, prefix: redis.prefix, sentinels: [], sentinelName: 'mymaster', sentinelPassword: null };
    const config = { redis: redisConfig } as CaravanConfig;
    const Worker = routedHandoffWorker(RecordingRoutingHandler);
    worker = new Worker(handler, handoff, config);
    worker.onApplicationBootstrap();
  }

  /** Starts the worker and pushes a message whose handling waits until the returned function is called. */
  async function startHoldingFirstMessage(): Promise<() => void> {
    startWorker();
    let open!: () => void;
    handler.gate = new Promise((resolve) => (open = resolve));
    await handoff.push([routed(1)]);
    await waitFor(() => handler.handled.length === 1, 'the first message');
    return open;
  }

  it('gives each message to the routing handler, in the order the api pushed them', async () => {
    startWorker();
    const [one, two, three] = [routed(1), routed(2), routed(3)];
    await handoff.push([one, two]);
    await handoff.push([three]);
    await waitFor(() => handler.handled.length === 2, 'two messages');
    assert.deepEqual(handler.handled.map((job) => job.data), [{ events: [one, two] }, { events: [three] }]);
    assert.equal((await handoff.waiting()).messages, 0);
  });

  it('takes no other message while the handler waits for room, so they stay in Redis for other agents', async () => {
    const open = await startHoldingFirstMessage();
    await handoff.push([routed(2)]);
    await handoff.push([routed(3)]);
    await sleep(300);
    assert.equal(handler.handled.length, 1);
    assert.equal((await handoff.waiting()).messages, 2);

    open();
    await waitFor(() => handler.handled.length === 3, 'the other two');
    assert.deepEqual(handler.eventIds(), ['ev1', 'ev2', 'ev3']);
  });

  it('goes on with the next message when the handler fails one', async () => {
    startWorker();
    handler.failNext = true;
    await handoff.push([routed(1)]);
    await handoff.push([routed(2)]);
    await waitFor(() => handler.handled.length === 2, 'both messages');
    assert.deepEqual(handler.eventIds(), ['ev1', 'ev2']);
  });

  it('at a stop, lets the message it holds finish and leaves the rest in Redis', async () => {
    const open = await startHoldingFirstMessage();
    await handoff.push([routed(2)]);

    let stopped = false;
    const stopping = worker!.beforeApplicationShutdown().then(() => (stopped = true));
    await sleep(100);
    assert.equal(stopped, false, 'the stop waits for the message being handled');
    open();
    await stopping;
    worker = null;

    assert.deepEqual(handler.eventIds(), ['ev1']);
    assert.equal((await handoff.waiting()).messages, 1);
  });
});
