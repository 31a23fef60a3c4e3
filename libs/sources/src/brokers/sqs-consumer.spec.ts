import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { SqsConsumer } from './sqs-consumer';
import { brokerContract } from './testing/broker-contract';
import { RecordingSink, waitUntil } from './testing/recording-sink';
import {
  sqsHarness,
  startSqsServer,
  TEST_CREDENTIALS,
  TEST_REGION,
  type FauxqsServer,
} from './testing/sqs-test-server';

describe('SqsConsumer against a real SQS-compatible server (fauxqs)', () => {
  let server: FauxqsServer;
  let endpoint: string;

  before(async () => {
    ({ server, endpoint } = await startSqsServer());
  });
  after(() => server.stop());

  brokerContract('SqsConsumer', () => sqsHarness(server, endpoint)());

  it(
    'keeps a message hidden while a persist outlasts the visibility timeout, so no other worker gets it',
    { timeout: 30_000 },
    async () => {
      const harness = await sqsHarness(server, endpoint, { visibilityTimeoutSeconds: 1 })();
      const sink = new RecordingSink();
      sink.persistDelayMs = 2500;
      await harness.publish([
        { body: '{"n":1}', attributes: { event_type: 'slow.persist', idempotency_key: 'k-1' } },
      ]);
      const consumer = harness.createConsumer({
        workers: 3,
        listener: sink.listener,
        backoff: { initialDelayMs: 50, maxDelayMs: 50 },
      });
      try {
        await consumer.start(sink);
        await waitUntil('the message is acknowledged', () => sink.events('acknowledged').length === 1);
        assert.equal(
          sink.events('persist-started').length,
          1,
          'received once despite a 1 s visibility timeout',
        );
        assert.deepEqual(sink.brokerErrors, []);
        assert.equal(await harness.unacknowledged(), 0);
      } finally {
        await consumer.stop();
        await harness.dispose();
      }
    },
  );

  it(
    'offers a failed message again after the backoff delay, not after the visibility timeout',
    { timeout: 30_000 },
    async () => {
      const harness = await sqsHarness(server, endpoint, { visibilityTimeoutSeconds: 120 })();
      const sink = new RecordingSink();
      sink.failTimes('k-1', 2);
      await harness.publish([{ body: '{"n":1}', attributes: { event_type: 'a', idempotency_key: 'k-1' } }]);
      const consumer = harness.createConsumer({
        workers: 1,
        listener: sink.listener,
        backoff: { initialDelayMs: 100, maxDelayMs: 1000 },
      });
      const startedAt = Date.now();
      try {
        await consumer.start(sink);
        await waitUntil('the message is stored', () => sink.stored.size === 1);
        assert.ok(
          Date.now() - startedAt < 10_000,
          'redelivered within seconds, not the 120 s visibility timeout',
        );
        assert.equal(sink.events('persist-threw').length, 2);
      } finally {
        await consumer.stop();
        await harness.dispose();
      }
    },
  );

  it('reads Number attributes as text and reports the receive count', { timeout: 30_000 }, async () => {
    const harness = await sqsHarness(server, endpoint)();
    let attempt: number | null = null;
    let attributes: Record<string, string> = {};
    const consumer = harness.createConsumer({
      workers: 1,
      listener: {},
      backoff: { initialDelayMs: 50, maxDelayMs: 50 },
    });
    try {
      await harness.client.send(
        new SendMessageCommand({
          QueueUrl: harness.queueUrl,
          MessageBody: '{}',
          MessageAttributes: {
            event_type: { DataType: 'String', StringValue: 'a' },
            'x-priority': { DataType: 'Number', StringValue: '5' },
            blob: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2]) },
          },
        }),
      );
      await consumer.start({
        persist: async (message) => {
          attempt = message.deliveryAttempt;
          attributes = message.attributes;
          return 'stored';
        },
      });
      await waitUntil('the message is persisted', () => attempt !== null);
      assert.equal(attempt, 1);
      assert.deepEqual(attributes, { event_type: 'a', 'x-priority': '5' });
    } finally {
      await consumer.stop();
      await harness.dispose();
    }
  });

  it('fails to start on a queue that does not exist', { timeout: 30_000 }, async () => {
    const consumer = new SqsConsumer({
      queueUrl: `${endpoint}/000000000000/no-such-queue`,
      endpoint,
      region: TEST_REGION,
      credentials: TEST_CREDENTIALS,
      listener: {},
    });
    await assert.rejects(consumer.start({ persist: async () => 'stored' }), /queue/i);
    await consumer.stop();
  });
});

describe('SqsConsumer options', () => {
  it('refuses a long-polling wait above the 20 s SQS allows', () => {
    assert.throws(
      () => new SqsConsumer({ queueUrl: 'http://127.0.0.1:1/0/q', waitTimeSeconds: 21 }),
      /waitTimeSeconds must be an integer from 0 to 20/,
    );
  });

  it('refuses zero workers', () => {
    assert.throws(
      () => new SqsConsumer({ queueUrl: 'http://127.0.0.1:1/0/q', workers: 0 }),
      /workers must be an integer from 1/,
    );
  });
});
