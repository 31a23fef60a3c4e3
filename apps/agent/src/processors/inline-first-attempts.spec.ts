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
const settled = () => new Promise((resolve) => setImmediate(resolve));

function inlineWith(slots: number) {
  const deliveries = new FakeDeliveries();
  const queue = new FakeQueue();
  const config = loadConfig({ CARAVAN_DELIVERY_CONCURRENCY: String(slots) });
  const inline = new InlineFirstAttempts(deliveries as unknown as DeliveryProcessor, queue as unknown as JobQueue, config);
  return { inline, deliveries, queue };
}

describe('InlineFirstAttempts (fake processor and queue)', () => {
  it('sends as many first attempts as there are delivery slots and queues the rest', async () => {
    const { inline, deliveries, queue } = inlineWith(2);
    await inline.start([job(1), job(2), job(3)]);
    assert.deepEqual(deliveries.started, ['d1', 'd2']);
    assert.deepEqual(queue.queued.map((queued) => queued.deliveryId), ['d3']);

    deliveries.finish('d1', 'sent');
    await settled();
    await inline.start([job(4)]);
    assert.deepEqual(deliveries.started, ['d1', 'd2', 'd4'], 'a finished send frees its slot');
  });

  it('queues a deferred attempt with its delay and data, and a failed one as it was', async () => {
    const { inline, deliveries, queue } = inlineWith(5);
    await inline.start([job(1), job(2)]);
    deliveries.finish('d1', new Deferral(1500, { ...job(1), rateLimitSlotReserved: true }));
    deliveries.finish('d2', new Error('database gone'));
    await settled();
    await settled();
    assert.deepEqual(queue.queued, [
      { ...job(1), rateLimitSlotReserved: true, delayMs: 1500 },
      job(2),
    ]);
  });

  it('waits for sends in flight at shutdown, and queues everything once stopping', async () => {
    const { inline, deliveries, queue } = inlineWith(5);
    await inline.start([job(1)]);
    let stopped = false;
    const stopping = inline.beforeApplicationShutdown().then(() => (stopped = true));
    await settled();
    assert.equal(stopped, false, 'the send in flight holds the shutdown');
    await inline.start([job(2)]);
    assert.deepEqual(queue.queued.map((queued) => queued.deliveryId), ['d2']);
    deliveries.finish('d1', 'sent');
    await stopping;
    assert.equal(stopped, true);
  });
});
