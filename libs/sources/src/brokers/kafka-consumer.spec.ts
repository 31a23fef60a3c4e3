import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { brokerTestServers } from '@caravan/common';
import { headersAsText, kafkaClientConfig, KafkaConsumer } from './kafka-consumer';
import { brokerContract } from './testing/broker-contract';
import { CONTRACT_PARTITIONS, fakeKafkaHarness, realKafkaHarness } from './testing/kafka-harness';
import { RecordingSink, waitUntil } from './testing/recording-sink';

describe('KafkaConsumer against a fake kafkajs', () => {
  brokerContract('KafkaConsumer', fakeKafkaHarness(), { timeoutMs: 15_000 });

  it('commits the offset after the persisted message, never before persist() resolved', async () => {
    const harness = await fakeKafkaHarness()();
    const sink = new RecordingSink();
    await harness.publish([{ body: '{"n":1}', attributes: { event_type: 'a', idempotency_key: 'k-1' } }]);
    const consumer = harness.createConsumer({
      workers: 1,
      listener: sink.listener,
      backoff: { initialDelayMs: 10, maxDelayMs: 10 },
    });
    sink.closeGate();
    await consumer.start(sink);
    await waitUntil('the persist is under way', () => sink.inProgress === 1);
    assert.deepEqual(harness.cluster.commits, [], 'nothing committed while persisting');
    sink.release();
    await waitUntil('the message is acknowledged', () => sink.events('acknowledged').length === 1);
    await consumer.stop();
    assert.deepEqual(harness.cluster.commits, [
      { groupId: harness.groupId, topic: harness.topic, partition: 0, offset: '1' },
    ]);
  });

  it('keeps heartbeating while a persist runs long, so the group does not expel the consumer', async () => {
    const harness = await fakeKafkaHarness()();
    const sink = new RecordingSink();
    sink.persistDelayMs = 550;
    await harness.publish([{ body: '{"n":1}', attributes: { event_type: 'a', idempotency_key: 'k-1' } }]);
    const consumer = harness.createConsumer({
      workers: 1,
      listener: sink.listener,
      backoff: { initialDelayMs: 10, maxDelayMs: 10 },
    });
    await consumer.start(sink);
    await waitUntil('the message is acknowledged', () => sink.events('acknowledged').length === 1);
    await consumer.stop();
    assert.ok(
      harness.cluster.heartbeats >= 4,
      `heartbeats every 100 ms during a 550 ms persist (saw ${harness.cluster.heartbeats})`,
    );
  });

  it('holds back the later messages of a partition until the failed one is stored, keeping their order', async () => {
    const harness = await fakeKafkaHarness()();
    const sink = new RecordingSink();
    sink.failTimes('k-1', 3);
    // Four partitions, round-robin: k-1 and k-5 share partition 0.
    await harness.publish(
      [1, 2, 3, 4, 5].map((n) => ({
        body: `{"n":${n}}`,
        attributes: { event_type: 'a', idempotency_key: `k-${n}` },
      })),
    );
    const consumer = harness.createConsumer({
      workers: CONTRACT_PARTITIONS,
      listener: sink.listener,
      backoff: { initialDelayMs: 20, maxDelayMs: 40 },
    });
    await consumer.start(sink);
    await waitUntil('all messages are stored', () => sink.stored.size === 5);
    await consumer.stop();
    const storedOrder = sink.events('persist-resolved').map((event) => event.messageId);
    assert.ok(storedOrder.indexOf(sink.messageIdOf('k-1')!) < storedOrder.indexOf(sink.messageIdOf('k-5')!));
    assert.equal(await harness.unacknowledged(), 0);
    assert.deepEqual(harness.cluster.violations, []);
  });

  it('reads headers as text, keeping the last value of a repeated header', () => {
    assert.deepEqual(
      headersAsText({ event_type: Buffer.from('a.b'), 'x-many': [Buffer.from('1'), '2'], gone: undefined }),
      {
        event_type: 'a.b',
        'x-many': '2',
      },
    );
  });
});

describe('KafkaConsumer settings', () => {
  it('turns on TLS with SASL unless told otherwise, and passes the mechanism through', () => {
    const sasl = { mechanism: 'scram-sha-512' as const, username: 'u', password: 'p' };
    const config = kafkaClientConfig({ brokers: ['b:9092'], topic: 't', groupId: 'g', sasl });
    assert.equal(config.ssl, true);
    assert.deepEqual(config.sasl, sasl);
    assert.equal(
      kafkaClientConfig({ brokers: ['b:9092'], topic: 't', groupId: 'g', sasl, ssl: false }).ssl,
      false,
    );
    assert.equal(kafkaClientConfig({ brokers: ['b:9092'], topic: 't', groupId: 'g' }).ssl, false);
  });

  it('refuses an empty broker list', () => {
    assert.throws(() => new KafkaConsumer({ brokers: [], topic: 't', groupId: 'g' }), /at least one broker/);
  });
});

const { kafkaBrokers } = brokerTestServers();
describe('KafkaConsumer against a real Kafka broker (KAFKA_BROKERS)', () => {
  if (kafkaBrokers.length === 0) {
    it(
      'runs the broker contract against KAFKA_BROKERS',
      { skip: 'KAFKA_BROKERS is not set: no Kafka broker to run against' },
      () => undefined,
    );
    return;
  }
  brokerContract('KafkaConsumer', realKafkaHarness(kafkaBrokers), { timeoutMs: 90_000 });
});
