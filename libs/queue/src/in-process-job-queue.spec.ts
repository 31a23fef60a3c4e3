import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { InProcessJobQueue } from './in-process-job-queue';
import { Deferral, JobHandler, QueuedJob } from './job-handler';
import { DeliverJob, QueueName } from './queue-names';
import { until } from './testing/until';

/** Records every run, answering what `decide` says for each. */
class RecordingHandler extends JobHandler {
  readonly runs: { id: string; data: unknown; progress: unknown; at: number }[] = [];
  active = 0;
  maxActive = 0;

  constructor(private readonly decide: (job: QueuedJob, run: number) => Promise<unknown> | unknown = () => 'done') {
    super();
  }

  async handle(job: QueuedJob): Promise<unknown> {
    this.runs.push({ id: job.id, data: job.data, progress: job.progress, at: Date.now() });
    this.active += 1;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      return await this.decide(job, this.runs.length);
    } finally {
      this.active -= 1;
    }
  }
}

const delivery = (deliveryId: string, attempt = 1): DeliverJob => ({ projectId: 'p', endpointId: 'e', deliveryId, attempt });


describe('InProcessJobQueue', () => {
  it('runs a job id once while it is queued, and again once it has finished', async () => {
    const queue = new InProcessJobQueue();
    const handler = new RecordingHandler();
    await queue.routeEvents([{ projectId: 'p', eventId: 'e1' }, { projectId: 'p', eventId: 'e1' }]);
    queue.work(QueueName.Routing, handler, 2);
    await until(() => handler.runs.length === 1 && queue.counts(QueueName.Routing).active === 0);
    await sleep(20);
    assert.equal(handler.runs.length, 1);
    await queue.routeEvents([{ projectId: 'p', eventId: 'e1' }]);
    await until(() => handler.runs.length === 2);
    assert.deepEqual(handler.runs.map((r) => r.id), ['e_e1', 'e_e1']);
    await queue.beforeApplicationShutdown();
  });

  it('waits out a delivery delay, and deliverEarly runs the waiting job at once instead of adding another', async () => {
    const queue = new InProcessJobQueue();
    const handler = new RecordingHandler();
    queue.work(QueueName.Delivery, handler, 5);
    const started = Date.now();
    await queue.deliver([{ ...delivery('d1'), delayMs: 150 }, { ...delivery('d2'), delayMs: 10_000 }]);
    await until(() => handler.runs.length === 1);
    assert.ok(handler.runs[0].at - started >= 140, `ran after ${handler.runs[0].at - started} ms`);
    assert.deepEqual(queue.counts(QueueName.Delivery), { waiting: 0, delayed: 1, active: 0 });
    await queue.deliverEarly([delivery('d2')]);
    await until(() => handler.runs.length === 2);
    assert.ok(Date.now() - started < 2000);
    await sleep(20);
    assert.equal(handler.runs.length, 2, 'promoted, not duplicated');
    await queue.beforeApplicationShutdown();
  });

  it('keeps a deferred job under its id with its new data, and runs it again after the delay', async () => {
    const queue = new InProcessJobQueue();
    const handler = new RecordingHandler((job, run) => (run === 1 ? new Deferral(100, { ...(job.data as object), rateLimitSlotReserved: true }) : 'sent'));
    queue.work(QueueName.Delivery, handler, 1);
    await queue.deliver([delivery('d1')]);
    await until(() => handler.runs.length === 1);
    await queue.deliver([delivery('d1')]);
    await until(() => handler.runs.length === 2);
    assert.equal((handler.runs[0].data as DeliverJob).rateLimitSlotReserved, undefined);
    assert.equal((handler.runs[1].data as DeliverJob).rateLimitSlotReserved, true);
    assert.ok(handler.runs[1].at - handler.runs[0].at >= 90);
    await sleep(30);
    assert.equal(handler.runs.length, 2, 'the same id queued while deferred did not run twice');
    await queue.beforeApplicationShutdown();
  });

  it('retries a failing job with backoff up to three tries, keeping its saved progress, then drops it', async () => {
    const queue = new InProcessJobQueue();
    const handler = new RecordingHandler(async (job, run) => {
      await job.saveProgress({ run });
      throw new Error(`try ${run} failed`);
    });
    queue.work(QueueName.Maintenance, handler, 1);
    await queue.startBatchRetry({ projectId: 'p', batchId: 'b1', filter: { status: ['failure'] } });
    await until(() => handler.runs.length === 3, 5000);
    assert.deepEqual(handler.runs.map((r) => r.progress), [0, { run: 1 }, { run: 2 }]);
    const gaps = handler.runs.slice(1).map((r, i) => r.at - handler.runs[i].at);
    assert.ok(gaps[0] >= 950 && gaps[1] >= 1950, `backoff gaps ${gaps.join(', ')} ms`);
    await sleep(50);
    assert.equal(queue.counts(QueueName.Maintenance).delayed, 0, 'dropped after the last try');
    await queue.startBatchRetry({ projectId: 'p', batchId: 'b1', filter: { status: ['failure'] } });
    await until(() => handler.runs.length === 4);
    await queue.beforeApplicationShutdown();
  });

  it('runs no more jobs at once than its concurrency', async () => {
    const queue = new InProcessJobQueue();
    const handler = new RecordingHandler(() => sleep(20));
    queue.work(QueueName.Delivery, handler, 3);
    await queue.deliver(Array.from({ length: 20 }, (_, i) => delivery(`d${i}`)));
    await until(() => handler.runs.length === 20 && handler.active === 0);
    assert.equal(handler.maxActive, 3);
    await queue.beforeApplicationShutdown();
  });

  it('lets running jobs finish at shutdown, and starts no new ones', async () => {
    const queue = new InProcessJobQueue();
    let finished = 0;
    const handler = new RecordingHandler(async () => {
      await sleep(100);
      finished += 1;
    });
    queue.work(QueueName.Delivery, handler, 2);
    await queue.deliver([delivery('a'), delivery('b'), delivery('c')]);
    await until(() => handler.runs.length === 2);
    await queue.beforeApplicationShutdown();
    assert.equal(finished, 2);
    await sleep(150);
    assert.equal(handler.runs.length, 2);
  });

  it('refuses a second handler for one queue', () => {
    const queue = new InProcessJobQueue();
    queue.work(QueueName.Routing, new RecordingHandler(), 1);
    assert.throws(() => queue.work(QueueName.Routing, new RecordingHandler(), 1), /already has a handler/);
  });
});
