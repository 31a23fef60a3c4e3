import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { BrokerConsumer, BrokerConsumerListener } from '../broker-consumer';
import { isPoison } from '../broker-consumer';
import type { RedeliveryBackoffOptions } from '../redelivery-backoff';
import { RecordingSink, waitUntil } from './recording-sink';

export interface TestMessage {
  body: string;
  attributes?: Record<string, string>;
}

export interface ContractConsumerOptions {
  workers: number;
  listener: BrokerConsumerListener;
  backoff: RedeliveryBackoffOptions;
}

/** One broker (real, emulated or faked) with a fresh queue, topic or subscription for one test. */
export interface BrokerHarness {
  /** A new consumer of the harness's queue, topic or subscription; consumers created one after another share what is left in it. */
  createConsumer(options: ContractConsumerOptions): BrokerConsumer;
  publish(messages: TestMessage[]): Promise<void>;
  /** Messages the broker still holds and would deliver again. Called when no consumer runs. */
  unacknowledged(): Promise<number>;
  /** Misuse a fake detects that a real broker would hide (a commit after stop, an ack of a handled message). */
  protocolViolations?(): string[];
  dispose(): Promise<void>;
}

export interface ContractOptions {
  /** Per-test timeout; real servers need more than fakes. */
  timeoutMs?: number;
}

const ENDPOINT_ID = '0191f3b4-6c1d-7a2e-9b3c-4d5e6f708192';
const FAST_BACKOFF: RedeliveryBackoffOptions = { initialDelayMs: 50, maxDelayMs: 200 };

function contractMessage(n: number): TestMessage {
  return {
    body: JSON.stringify({ n }),
    attributes: { event_type: 'contract.tested', idempotency_key: `k-${n}` },
  };
}

/**
 * The behaviour every broker consumer must have. `makeHarness` is called once per test. Run it inside the
 * describe that starts the broker, and name that describe after what the broker is (real, emulator, fake).
 */
export function brokerContract(
  name: string,
  makeHarness: () => Promise<BrokerHarness>,
  options: ContractOptions = {},
): void {
  const timeout = options.timeoutMs ?? 30_000;
  // Kafka harnesses need at least as many partitions as workers for this to show.
  const workersTest = { workers: 3, messages: 6 };
  // Gives up before the test's own timeout, so a failure says what it was waiting for.
  const waitFor = (what: string, condition: () => boolean) =>
    waitUntil(what, condition, Math.floor(timeout * 0.75));

  async function withHarness(
    run: (harness: BrokerHarness, consumers: BrokerConsumer[]) => Promise<void>,
  ): Promise<void> {
    const harness = await makeHarness();
    const consumers: BrokerConsumer[] = [];
    try {
      await run(harness, consumers);
      assert.deepEqual(harness.protocolViolations?.() ?? [], [], 'the consumer misused the broker API');
    } finally {
      await Promise.allSettled(consumers.map((consumer) => consumer.stop()));
      await harness.dispose();
    }
  }

  function consumerFor(
    harness: BrokerHarness,
    consumers: BrokerConsumer[],
    sink: RecordingSink,
    workers: number,
  ): BrokerConsumer {
    const consumer = harness.createConsumer({ workers, listener: sink.listener, backoff: FAST_BACKOFF });
    consumers.push(consumer);
    return consumer;
  }

  describe(`${name} broker contract`, () => {
    it(
      'acknowledges a message only after persist() resolved; one whose persist() threw is redelivered, then acknowledged',
      { timeout },
      () =>
        withHarness(async (harness, consumers) => {
          const sink = new RecordingSink();
          sink.failTimes('k-1', 1);
          await harness.publish([contractMessage(1), contractMessage(2)]);
          const consumer = consumerFor(harness, consumers, sink, 1);
          await consumer.start(sink);
          await waitFor(
            'both messages are stored and acknowledged',
            () => sink.stored.size === 2 && sink.events('acknowledged').length === 2,
          );
          await consumer.stop();

          const failedId = sink.messageIdOf('k-1')!;
          const persists = sink.positions('persist-started', failedId);
          const threw = sink.positions('persist-threw', failedId);
          const acks = sink.positions('acknowledged', failedId);
          assert.equal(persists.length, 2, 'the failed message was offered again');
          assert.equal(threw.length, 1);
          assert.equal(sink.positions('redelivery-scheduled', failedId).length, 1);
          assert.equal(acks.length, 1, 'acknowledged once');
          assert.ok(
            acks[0] > sink.positions('persist-resolved', failedId)[0],
            'acknowledged after the persist that resolved',
          );
          assert.ok(
            !sink.timeline
              .slice(threw[0], persists[1])
              .some((event) => event.kind === 'acknowledged' && event.messageId === failedId),
            'not acknowledged after the failure',
          );
          for (const [id, count] of sink.acknowledgementsById())
            assert.equal(count, 1, `message ${id} acknowledged once`);
          for (const ack of sink.events('acknowledged')) {
            assert.ok(
              sink
                .positions('persist-resolved', ack.messageId)
                .some((resolved) => resolved < sink.timeline.indexOf(ack)),
              'every ack follows its persist',
            );
          }
          assert.equal(await harness.unacknowledged(), 0);
        }),
    );

    it('acknowledges poison messages once, reporting why they cannot be stored', { timeout }, () =>
      withHarness(async (harness, consumers) => {
        const sink = new RecordingSink();
        await harness.publish([
          { body: 'not json at all', attributes: { event_type: 'contract.tested' } },
          { body: JSON.stringify({ n: 2 }) },
          contractMessage(3),
        ]);
        const consumer = consumerFor(harness, consumers, sink, 2);
        await consumer.start(sink);
        await waitFor('all three messages are acknowledged', () => sink.events('acknowledged').length === 3);
        await consumer.stop();

        const reasons = sink
          .events('acknowledged')
          .map((event) => event.outcome)
          .flatMap((outcome) => (outcome !== undefined && isPoison(outcome) ? [outcome.poison] : []))
          .sort();
        assert.equal(reasons.length, 2);
        assert.match(reasons[0], /^body is not JSON/);
        assert.match(reasons[1], /^no event type/);
        assert.equal(sink.events('persist-started').length, 3, 'poison is not redelivered');
        assert.deepEqual([...sink.stored.keys()], ['k-3']);
        assert.equal(await harness.unacknowledged(), 0);
      }),
    );

    it(
      "passes the broker's attributes and body through, so event fields and custom headers map",
      { timeout },
      () =>
        withHarness(async (harness, consumers) => {
          const sink = new RecordingSink({ idempotency_key_path: 'order.id' });
          await harness.publish([
            {
              body: JSON.stringify({ order: { id: 'o-77', total: 12.5 }, note: 'héllo ✓' }),
              attributes: { event_type: 'order.paid', endpoint_id: ENDPOINT_ID, 'x-tenant': 'acme' },
            },
          ]);
          const consumer = consumerFor(harness, consumers, sink, 1);
          await consumer.start(sink);
          await waitFor('the message is stored', () => sink.stored.size === 1);
          await consumer.stop();

          assert.deepEqual(sink.stored.get('o-77'), {
            event_type: 'order.paid',
            data: { order: { id: 'o-77', total: 12.5 }, note: 'héllo ✓' },
            endpoint_id: ENDPOINT_ID,
            idempotency_key: 'o-77',
            custom_headers: { 'x-tenant': 'acme' },
          });
        }),
    );

    it(
      'stops gracefully: persists under way finish and are acknowledged before stop() resolves; nothing is lost or acknowledged twice',
      { timeout },
      () =>
        withHarness(async (harness, consumers) => {
          const total = 6;
          const sink = new RecordingSink();
          await harness.publish(Array.from({ length: total }, (_, i) => contractMessage(i + 1)));
          sink.closeGate();
          const first = consumerFor(harness, consumers, sink, 2);
          await first.start(sink);
          await waitFor('a persist is under way', () => sink.inProgress > 0);
          await sleep(100);

          const stopCalled = sink.record('stop-called');
          let stopResolved = false;
          const stopping = first.stop().then(() => {
            stopResolved = true;
            sink.record('stop-resolved');
          });
          await sleep(200);
          assert.equal(stopResolved, false, 'stop() waits for the persists under way');
          sink.release();
          await stopping;

          const stoppedAt = sink.positions('stop-resolved')[0];
          const startedBeforeStop = sink
            .positions('persist-started')
            .filter((position) => position < stopCalled);
          assert.ok(startedBeforeStop.length > 0);
          assert.equal(
            sink.positions('persist-started').filter((position) => position > stopCalled).length,
            0,
            'no persist starts once stop() was called',
          );
          assert.equal(sink.inProgress, 0, 'no persist is left running');
          for (const started of startedBeforeStop) {
            const id = sink.timeline[started].messageId;
            assert.ok(
              sink.positions('acknowledged', id).some((ack) => ack < stoppedAt),
              `message ${id} was acknowledged before stop() resolved`,
            );
          }
          const storedByFirst = sink.stored.size;

          const second = consumerFor(harness, consumers, sink, 2);
          await second.start(sink);
          await waitFor('every message is stored', () => sink.stored.size === total);
          await waitFor('every message is acknowledged', () => sink.acknowledgementsById().size === total);
          await second.stop();

          assert.ok(storedByFirst < total, 'the first consumer left messages for the second');
          assert.equal(
            sink.events('persist-resolved').filter((event) => event.outcome === 'duplicate').length,
            0,
            'no stored message came back',
          );
          for (const [id, count] of sink.acknowledgementsById())
            assert.equal(count, 1, `message ${id} acknowledged once`);
          assert.equal(await harness.unacknowledged(), 0);
        }),
    );

    it(
      `persists up to ${workersTest.workers} messages at once with ${workersTest.workers} workers`,
      { timeout },
      () =>
        withHarness(async (harness, consumers) => {
          const sink = new RecordingSink();
          sink.persistDelayMs = 150;
          await harness.publish(
            Array.from({ length: workersTest.messages }, (_, i) => contractMessage(i + 1)),
          );
          const consumer = consumerFor(harness, consumers, sink, workersTest.workers);
          await consumer.start(sink);
          await waitFor('every message is stored', () => sink.stored.size === workersTest.messages);
          await waitFor(
            'every message is acknowledged',
            () => sink.events('acknowledged').length === workersTest.messages,
          );
          await consumer.stop();

          assert.ok(
            sink.maxInProgress >= 2,
            `persists ran in parallel (at most ${sink.maxInProgress} at once)`,
          );
          assert.ok(
            sink.maxInProgress <= workersTest.workers,
            `no more than ${workersTest.workers} at once (saw ${sink.maxInProgress})`,
          );
          assert.equal(await harness.unacknowledged(), 0);
        }),
    );
  });
}
