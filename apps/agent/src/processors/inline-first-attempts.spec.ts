import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadConfig } from '@caravan/common';
import type { ClaimedFirstAttempt, HandBackFirstAttempts } from '@caravan/delivery';
import { Deferral, DelayedDeliverJob, DeliverJob, JobQueue } from '@caravan/queue';
import type { DeliveryProcessor } from './delivery.processor';
import { InlineFirstAttempts } from './inline-first-attempts';

/** Fake processor (no database or HTTP here): each job waits for the test to settle it. */
class FakeDeliveries {
  readonly started: string[] = [];
  private readonly settle = new Map<string, (outcome: unknown) => void>();
  private readonly requestEnded = new Map<string, () => void>();

  attempt(job: DeliverJob, claimed: ClaimedFirstAttempt['claimed'], offTheWire: () => void): Promise<unknown> {
    assert.equal(claimed.id, job.deliveryId, 'each attempt is sent with its claim');
    this.started.push(job.deliveryId);
    this.requestEnded.set(job.deliveryId, offTheWire);
    return new Promise((resolve, reject) =>
      this.settle.set(job.deliveryId, (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome))),
    );
  }

  finish(deliveryId: string, outcome: unknown): void {
    this.settle.get(deliveryId)!(outcome);
  }

  /** The request has ended; the attempt is still being recorded. */
  endRequest(deliveryId: string): void {
    this.requestEnded.get(deliveryId)!();
  }
}

/** Fake queue: records what was queued. */
class FakeQueue {
  readonly queued: DelayedDeliverJob[] = [];

  async deliver(jobs: DelayedDeliverJob[]): Promise<void> {
    this.queued.push(...jobs);
  }
}

/** Fake hand-back: records whose claims came back (to be queued). */
class FakeHandBack {
  readonly handedBack: string[] = [];

  async execute(attempts: ClaimedFirstAttempt[]): Promise<void> {
    this.handedBack.push(...attempts.map((attempt) => attempt.job.deliveryId));
  }
}

const job = (n: number): DeliverJob => ({ projectId: 'p', deliveryId: `d${n}`, endpointId: 'e', attempt: 1 });
const claimedAt = (n: number, at = Date.now()): ClaimedFirstAttempt => ({
  job: job(n),
  claimed: { id: `d${n}`, projectId: 'p', eventId: 'ev', endpointId: 'e', subscriptionId: null, attemptCount: 1 },
  claimedAt: at,
});
const attempt = (n: number) => claimedAt(n);
const attempts = (from: number, to: number): ClaimedFirstAttempt[] => Array.from({ length: to - from + 1 }, (_, i) => attempt(from + i));
const settled = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

/**
 * `slots` delivery slots, so a backlog of 10 × slots; `lockSeconds` sets the longest wait for room
 * and the oldest claim still used (half of it each).
 */
function inlineWith(slots: number, lockSeconds = 30) {
  const deliveries = new FakeDeliveries();
  const handBack = new FakeHandBack();
  const queue = new FakeQueue();
  const config = loadConfig({ CARAVAN_DELIVERY_CONCURRENCY: String(slots), CARAVAN_QUEUE_LOCK_SECONDS: String(lockSeconds) });
  const inline = new InlineFirstAttempts(
    deliveries as unknown as DeliveryProcessor,
    handBack as unknown as HandBackFirstAttempts,
    queue as unknown as JobQueue,
    config,
  );
  return { inline, deliveries, handBack, queue };
}

describe('InlineFirstAttempts (fake processor and queue)', () => {
  it('sends as many first attempts as there are slots, and the rest in order as slots free, queueing none', async () => {
    const { inline, deliveries, queue } = inlineWith(2);
    await inline.start([attempt(1), attempt(2), attempt(3)]);
    await inline.start([attempt(4)]);
    assert.deepEqual(deliveries.started, ['d1', 'd2']);

    deliveries.finish('d2', 'sent');
    await settled();
    assert.deepEqual(deliveries.started, ['d1', 'd2', 'd3'], 'a finished send frees its slot for the oldest waiting');
    deliveries.finish('d1', 'sent');
    await settled();
    assert.deepEqual(deliveries.started, ['d1', 'd2', 'd3', 'd4']);
    assert.deepEqual(queue.queued, []);
  });

  it('frees a slot when its request ends, while the attempt is recorded, with at most as many recording as there are slots', async () => {
    const { inline, deliveries } = inlineWith(2);
    await inline.start(attempts(1, 6));
    assert.deepEqual(deliveries.started, ['d1', 'd2']);

    deliveries.endRequest('d1');
    deliveries.endRequest('d2');
    await settled();
    assert.deepEqual(deliveries.started, ['d1', 'd2', 'd3', 'd4'], 'two on the wire again, two being recorded');

    deliveries.endRequest('d3');
    await settled();
    assert.deepEqual(deliveries.started, ['d1', 'd2', 'd3', 'd4'], 'no more while the records of two slots are pending');

    deliveries.finish('d1', 'sent');
    await settled();
    assert.deepEqual(deliveries.started, ['d1', 'd2', 'd3', 'd4', 'd5'], 'a record written makes room');
    deliveries.finish('d5', 'not-due');
    await settled();
    assert.deepEqual(deliveries.started, ['d1', 'd2', 'd3', 'd4', 'd5', 'd6'], 'an attempt that ends without a request frees its slot');
  });

  it('holds routing back while the backlog is full, and lets it go on when a send makes room', async () => {
    const { inline, deliveries, queue } = inlineWith(1);
    await inline.start(attempts(1, 11)); // one sending, ten waiting: the backlog is full
    let accepted = false;
    const next = inline.start([attempt(12)]).then(() => (accepted = true));
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

  it('hands back the attempts of a routing that found no room in time', async () => {
    const { inline, deliveries, handBack } = inlineWith(1, 1); // waits at most 500 ms
    await inline.start(attempts(1, 11));
    const startedAt = Date.now();
    await inline.start([attempt(12), attempt(13)]);
    assert.ok(Date.now() - startedAt >= 450, 'it waited for room first');
    assert.deepEqual(handBack.handedBack, ['d12', 'd13']);
    assert.deepEqual(deliveries.started, ['d1']);
  });

  it('hands back a claim that waited for half the queue lock instead of sending with it', async () => {
    const { inline, deliveries, handBack } = inlineWith(1, 2); // claims older than 1 s are not used
    await inline.start([attempt(1), claimedAt(2, Date.now() - 1500), attempt(3)]);
    deliveries.finish('d1', 'sent');
    await settled();
    assert.deepEqual(deliveries.started, ['d1', 'd3'], 'the next fresh claim takes the slot');
    assert.deepEqual(handBack.handedBack, ['d2']);
  });

  it('takes an event with more endpoints than the backlog holds when the backlog is empty', async () => {
    const { inline, deliveries, queue } = inlineWith(1);
    await inline.start(attempts(1, 30));
    assert.deepEqual(deliveries.started, ['d1']);
    assert.deepEqual(queue.queued, []);
  });

  it('queues a deferred attempt with its delay and data, and a failed one as it was', async () => {
    const { inline, deliveries, queue } = inlineWith(5);
    await inline.start([attempt(1), attempt(2)]);
    deliveries.finish('d1', new Deferral(1500, { ...job(1), rateLimitSlotReserved: true }));
    deliveries.finish('d2', new Error('database gone'));
    await settled();
    assert.deepEqual(queue.queued, [{ ...job(1), rateLimitSlotReserved: true, delayMs: 1500 }, job(2)]);
  });

  it('hands back the backlog at shutdown, waits for sends in flight, and hands back everything once stopping', async () => {
    const { inline, deliveries, handBack } = inlineWith(1);
    await inline.start([attempt(1), attempt(2), attempt(3)]);
    let stopped = false;
    const stopping = inline.beforeApplicationShutdown().then(() => (stopped = true));
    await settled();
    assert.equal(stopped, false, 'the send in flight holds the shutdown');
    assert.deepEqual(handBack.handedBack, ['d2', 'd3']);
    await inline.start([attempt(4)]);
    assert.deepEqual(handBack.handedBack, ['d2', 'd3', 'd4']);
    deliveries.finish('d1', 'sent');
    await stopping;
    assert.equal(stopped, true);
    assert.deepEqual(deliveries.started, ['d1'], 'nothing else started after the shutdown began');
  });
});
