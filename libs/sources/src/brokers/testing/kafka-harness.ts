import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaConsumer } from '../kafka-consumer';
import type { BrokerHarness } from './broker-contract';
import { FakeKafkaCluster } from './fake-kafkajs';

export const CONTRACT_PARTITIONS = 4;

/** A topic of its own per test on a fake cluster; every consumer of one harness joins the same group. */
export function fakeKafkaHarness(): () => Promise<
  BrokerHarness & { cluster: FakeKafkaCluster; topic: string; groupId: string }
> {
  return async () => {
    const cluster = new FakeKafkaCluster();
    const topic = `contract-${randomUUID()}`;
    const groupId = `caravan-${randomUUID()}`;
    cluster.createTopic(topic, CONTRACT_PARTITIONS);
    return {
      cluster,
      topic,
      groupId,
      createConsumer: ({ workers, listener, backoff }) =>
        new KafkaConsumer(
          {
            brokers: ['127.0.0.1:9092'],
            topic,
            groupId,
            fromBeginning: true,
            workers,
            listener,
            backoff,
            heartbeatIntervalMs: 100,
          },
          (_client, consumer) => cluster.consumer(consumer),
        ),
      async publish(messages) {
        cluster.produce(
          topic,
          messages.map((message) => ({ value: message.body, headers: message.attributes })),
        );
      },
      unacknowledged: async () => cluster.uncommitted(groupId, topic),
      protocolViolations: () => cluster.violations,
      dispose: async () => undefined,
    };
  };
}

/** A topic of its own per test on the brokers KAFKA_BROKERS names. */
export function realKafkaHarness(brokers: string[]): () => Promise<BrokerHarness> {
  return async () => {
    const kafka = new Kafka({ clientId: 'caravan-contract', brokers, logLevel: logLevel.ERROR });
    const admin = kafka.admin();
    const producer = kafka.producer();
    await admin.connect();
    await producer.connect();
    const topic = `caravan-contract-${randomUUID()}`;
    const groupId = `caravan-contract-${randomUUID()}`;
    await admin.createTopics({
      topics: [{ topic, numPartitions: CONTRACT_PARTITIONS, replicationFactor: 1 }],
      waitForLeaders: true,
    });
    let next = 0;
    return {
      createConsumer: ({ workers, listener, backoff }) =>
        new KafkaConsumer({
          brokers,
          topic,
          groupId,
          fromBeginning: true,
          workers,
          listener,
          backoff,
          sessionTimeoutMs: 10_000,
          heartbeatIntervalMs: 1000,
        }),
      async publish(messages) {
        await producer.send({
          topic,
          messages: messages.map((message) => ({
            value: message.body,
            headers: message.attributes,
            partition: next++ % CONTRACT_PARTITIONS,
          })),
        });
      },
      async unacknowledged() {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return ends.reduce((sum, { partition, offset }) => {
          const at = committed.partitions.find((entry) => entry.partition === partition)?.offset ?? '-1';
          return sum + Number(offset) - Math.max(0, Number(at));
        }, 0);
      },
      async dispose() {
        await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
        await producer.disconnect();
        await admin.disconnect();
      },
    };
  };
}
