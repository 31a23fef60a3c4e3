import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadConfig } from '@caravan/common';
import { Deferral, DelayedDeliverJob, DeliverJob, JobQueue, QueuedJob } from '@caravan/queue';
import type { DeliveryProcessor } from './delivery.processor';
import { InlineFirstAttempts } from './inline-first-attempts';

/** Fake processor (no database or HTTP here): each job waits for the test to settle it. */
class FakeDeliveries {
  readonly started: string[] = [];
  private readonly settle = new Map<string, (outcome: unknown) => void>();

  handle(job: QueuedJob<DeliverJob>): Promise<unknown> {
    this.started.push(job.data.deliveryId);
    return new Promise((resolve, reject) =>
      this.settle.set(job.data.deliveryId, (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome))),
    );
  }

  finish(deliveryId: string, outcome: unknown): void {
    this.settle.get(deliveryId)!(outcome);
  }
}

/** Fake queue: records what was queued. */
class FakeQueue {
  readonly queued: DelayedDeliverJob[] = [];

  async deliver(jobs: DelayedDeliverJob[]): Promise<void> {
    this.queued.push(...jobs);
  }
}

const job = (n: number): DeliverJob => ({ projectId: 'p', deliveryId: `d${n}`, endpointId: 'e', attempt: 1 });
const jobs = (from: number, to: number): DeliverJob[] => Array.from({ length: to - from + 1 }, (_, i) => job(from + i));
const settled = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** `slots` delivery slots, so a backlog of 10 × slots; `lockSeconds` sets the longest wait for room (half of it). */
function inlineWith(slots: number, lockSeconds = 30) {
  const deliveries = new FakeDeliveries();
  const queue = new FakeQueue();
  const config = loadConfig({ CARAVAN_DELIVERY_CONCURRENCY: String(slots), CARAVAN_QUEUE_LOCK_SECONDS: String(lockSeconds) });
  const inline = new InlineFirstAttempts(deliveries as unknown as DeliveryProcessor, queue as unknown as JobQueue, config);
  return { inline, deliveries, queue };
}

describe('InlineFirstAttempts (fake processor and queue)', () => {
  it('sends as many first attempts as there are slots, and the rest in order as slots free, queueing none', async () => {
    const { inline, deliveries, queue } = inlineWith(2);
    await inline.start([job(1), job(2), job(3)]);
    await inline.start([job(4)]);
    assert.deepEqual(deliveries.started, ['d1', 'd2']);

    deliveries.finish('d2', 'sent');
    await settled();
    assert.deepEqual(deliveries.started, ['d1', 'd2', 'd3'], 'a finished send frees its slot for the oldest waiting');
    deliveries.finish('d1', 'sent');
    await settled();
    assert.deepEqual(deliveries.started, ['d1', 'd2', 'd3', 'd4']);
    assert.deepEqual(queue.queued, []);
  });

  it('holds routing back while the backlog is full, and lets it go on when a send makes room', async () => {
    const { inline, deliveries, queue } = inlineWith(1);
    await inline.start(jobs(1, 11)); // one sending, ten waiting: the backlog is full
    let accepted = false;
    const next = inline.start([job(12)]).then(() => (accepted = true));
    await settled();
    assert.equal(accepted, false, 'start waits for room');

    deliveries.finish('d1', 'sent');
    await next;
    assert.deepEqual(deliveries.started, ['d1', 'd2']);
    assert.deepEqual(queue.queued, [], 'the job waits in the backlog, not in the queue');
    for (let n = 2; n <= 11; n++) {
      deliveries.finish(`d${n}`, 'sent');
      await settled();
    }
    assert.equal(deliveries.started.at(-1), 'd12');
  });

  it('queues the attempts of a routing that found no room in time', async () => {
    const { inline, deliveries, queue } = inlineWith(1, 1); // waits at most 500 ms
    await inline.start(jobs(1, 11));
    const startedAt = Date.now();
    await inline.start([job(12), job(13)]);
    assert.ok(Date.now() - startedAt >= 450, 'it waited for room first');
    assert.deepEqual(queue.queued.map((queued) => queued.deliveryId), ['d12', 'd13']);
    assert.deepEqual(deliveries.started, ['d1']);
  });

  it('takes an event with more endpoints than the backlog holds when the backlog is empty', async () => {
    const { inline, deliveries, queue } = inlineWith(1);
    await inline.start(jobs(1, 30));
    assert.deepEqual(deliveries.started, ['d1']);
    assert.deepEqual(queue.queued, []);
  });

  it('queues a deferred attempt with its delay and data, and a failed one as it was', async () => {
    const { inline, deliveries, queue } = inlineWith(5);
    await inline.start([job(1), job(2)]);
    deliveries.finish('d1', new Deferral(1500, { ...job(1), rateLimitSlotReserved: true }));
    deliveries.finish('d2', new Error('database gone'));
    await settled();
    assert.deepEqual(queue.queued, [{ ...job(1), rateLimitSlotReserved: true, delayMs: 1500 }, job(2)]);
  });

  it('queues the backlog at shutdown, waits for sends in flight, and queues everything once stopping', async () => {
    const { inline, deliveries, queue } = inlineWith(1);
    await inline.start([job(1), job(2), job(3)]);
    let stopped = false;
    const stopping = inline.beforeApplicationShutdown().then(() => (stopped = true));
    await settled();
    assert.equal(stopped, false, 'the send in flight holds the shutdown');
    assert.deepEqual(queue.queued.map((queued) => queued.deliveryId), ['d2', 'd3']);
    await inline.start([job(4)]);
    assert.deepEqual(queue.queued.map((queued) => queued.deliveryId), ['d2', 'd3', 'd4']);
    deliveries.finish('d1', 'sent');
    await stopping;
    assert.equal(stopped, true);
    assert.deepEqual(deliveries.started, ['d1'], 'nothing else started after the shutdown began');
  });
});
