import { setTimeout as sleep } from 'node:timers/promises';
import type {
  ConsumerConfig,
  ConsumerRunConfig,
  ConsumerSubscribeTopic,
  ConsumerSubscribeTopics,
  EachMessagePayload,
  IHeaders,
  KafkaMessage,
  TopicPartitionOffset,
  TopicPartitionOffsetAndMetadata,
} from 'kafkajs';
import type { KafkaConsumerPort } from '../kafka-consumer';

interface StoredRecord {
  key: Buffer | null;
  value: Buffer | null;
  headers: IHeaders;
  timestamp: string;
}

/**
 * A fake Kafka cluster at the kafkajs boundary: topics with partitions, committed offsets per group, and
 * consumers that behave as kafkajs 2.x does for what KafkaConsumer uses: eachMessage runs the messages of a
 * partition one at a time, `partitionsConsumedConcurrently` partitions at once; a pause or a seek ends the
 * current batch after the message being handled; a new consumer starts at the group's committed offset;
 * stop() waits for the messages being handled; commits made after stop() are dropped (as kafkajs does).
 * It records what a real broker would hide: commits dropped, an error escaping eachMessage.
 */
export class FakeKafkaCluster {
  private readonly topics = new Map<string, StoredRecord[][]>();
  /** group → `topic/partition` → the next offset to read. */
  private readonly committed = new Map<string, Map<string, bigint>>();
  readonly violations: string[] = [];
  readonly commits: Array<{ groupId: string; topic: string; partition: number; offset: string }> = [];
  heartbeats = 0;
  private nextPartition = 0;

  createTopic(topic: string, partitions: number): void {
    this.topics.set(
      topic,
      Array.from({ length: partitions }, () => []),
    );
  }

  /** Appends messages round-robin over the partitions. */
  produce(
    topic: string,
    messages: Array<{ value: string | Buffer; headers?: Record<string, string | Buffer> }>,
  ): void {
    const partitions = this.partitionsOf(topic);
    for (const message of messages) {
      const partition = this.nextPartition++ % partitions.length;
      partitions[partition].push({
        key: null,
        value: Buffer.isBuffer(message.value) ? message.value : Buffer.from(message.value),
        headers: Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, Buffer.from(value)]),
        ),
        timestamp: String(Date.now()),
      });
    }
  }

  consumer(config: ConsumerConfig): KafkaConsumerPort {
    return new FakeKafkaConsumer(this, config.groupId);
  }

  /** Messages after the group's committed offsets: what the group would still be given. */
  uncommitted(groupId: string, topic: string): number {
    return this.partitionsOf(topic).reduce(
      (sum, records, partition) =>
        sum + records.length - Number(this.committedOffset(groupId, topic, partition) ?? 0n),
      0,
    );
  }

  partitionsOf(topic: string): StoredRecord[][] {
    const partitions = this.topics.get(topic);
    if (!partitions) throw new Error(`fake kafka: no topic ${topic}`);
    return partitions;
  }

  committedOffset(groupId: string, topic: string, partition: number): bigint | undefined {
    return this.committed.get(groupId)?.get(`${topic}/${partition}`);
  }

  commit(groupId: string, topic: string, partition: number, offset: string): void {
    let group = this.committed.get(groupId);
    if (!group) this.committed.set(groupId, (group = new Map()));
    group.set(`${topic}/${partition}`, BigInt(offset));
    this.commits.push({ groupId, topic, partition, offset });
  }
}

class FakeKafkaConsumer implements KafkaConsumerPort {
  running = false;
  private connected = false;
  private subscriptions: Array<{ topic: string; fromBeginning: boolean }> = [];
  private readonly positions = new Map<string, bigint>();
  private readonly seeks = new Map<string, bigint>();
  private readonly paused = new Set<string>();
  private readonly busy = new Set<string>();
  private loop: Promise<void> | null = null;

  constructor(
    private readonly cluster: FakeKafkaCluster,
    private readonly groupId: string,
  ) {}

  async connect(): Promise<void> {
    this.connected = true;
  }

  async subscribe(subscription: ConsumerSubscribeTopics | ConsumerSubscribeTopic): Promise<void> {
    const topics = 'topics' in subscription ? subscription.topics : [subscription.topic];
    for (const topic of topics) {
      if (typeof topic !== 'string') throw new Error('fake kafka: topics are names, not patterns');
      this.cluster.partitionsOf(topic);
      this.subscriptions.push({ topic, fromBeginning: subscription.fromBeginning ?? false });
    }
  }

  async run(config: ConsumerRunConfig = {}): Promise<void> {
    if (!this.connected) throw new Error('fake kafka: run() before connect()');
    const eachMessage = config.eachMessage;
    if (!eachMessage) throw new Error('fake kafka: only eachMessage is faked');
    if (config.autoCommit !== false) this.cluster.violations.push('autoCommit was left on');
    for (const { topic, fromBeginning } of this.subscriptions) {
      this.cluster.partitionsOf(topic).forEach((records, partition) => {
        const committed = this.cluster.committedOffset(this.groupId, topic, partition);
        this.positions.set(
          `${topic}/${partition}`,
          committed ?? (fromBeginning ? 0n : BigInt(records.length)),
        );
      });
    }
    this.running = true;
    this.loop = this.fetchLoop(eachMessage, config.partitionsConsumedConcurrently ?? 1);
  }

  private async fetchLoop(
    eachMessage: NonNullable<ConsumerRunConfig['eachMessage']>,
    concurrency: number,
  ): Promise<void> {
    const batches = new Set<Promise<void>>();
    while (this.running) {
      for (const [key, position] of this.positions) {
        if (batches.size >= concurrency) break;
        const [topic, partitionText] = key.split('/');
        const partition = Number(partitionText);
        if (this.busy.has(key) || this.isPaused(topic, partition)) continue;
        const seek = this.seeks.get(key);
        if (seek !== undefined) {
          this.seeks.delete(key);
          this.positions.set(key, seek);
          continue;
        }
        const records = this.cluster.partitionsOf(topic)[partition];
        if (position >= BigInt(records.length)) continue;
        this.busy.add(key);
        const batch = this.handleBatch(
          eachMessage,
          topic,
          partition,
          records.slice(Number(position)),
          position,
        ).finally(() => {
          this.busy.delete(key);
          batches.delete(batch);
        });
        batches.add(batch);
      }
      await sleep(5);
    }
    await Promise.all(batches);
  }

  private async handleBatch(
    eachMessage: NonNullable<ConsumerRunConfig['eachMessage']>,
    topic: string,
    partition: number,
    records: StoredRecord[],
    firstOffset: bigint,
  ): Promise<void> {
    const key = `${topic}/${partition}`;
    for (const [index, record] of records.entries()) {
      if (!this.running || this.seeks.has(key)) return;
      const offset = firstOffset + BigInt(index);
      const message: KafkaMessage = { ...record, attributes: 0, offset: offset.toString() };
      const payload: EachMessagePayload = {
        topic,
        partition,
        message,
        heartbeat: async () => {
          this.cluster.heartbeats += 1;
        },
        pause: () => {
          this.pause([{ topic, partitions: [partition] }]);
          return () => this.resume([{ topic, partitions: [partition] }]);
        },
      };
      try {
        await eachMessage(payload);
      } catch (error) {
        // kafkajs would retry and then restart the consumer from the committed offsets.
        this.cluster.violations.push(`eachMessage threw: ${String(error)}`);
        this.positions.set(key, this.cluster.committedOffset(this.groupId, topic, partition) ?? 0n);
        return;
      }
      this.positions.set(key, offset + 1n);
      if (this.isPaused(topic, partition)) return;
    }
  }

  async commitOffsets(offsets: TopicPartitionOffsetAndMetadata[]): Promise<void> {
    if (!this.running) {
      this.cluster.violations.push(
        `commitOffsets after stop() (kafkajs drops it): ${JSON.stringify(offsets)}`,
      );
      return;
    }
    for (const { topic, partition, offset } of offsets)
      this.cluster.commit(this.groupId, topic, partition, offset);
  }

  seek({ topic, partition, offset }: TopicPartitionOffset): void {
    this.seeks.set(`${topic}/${partition}`, BigInt(offset));
  }

  pause(topics: Array<{ topic: string; partitions?: number[] }>): void {
    for (const { topic, partitions } of topics) {
      for (const partition of partitions ?? this.cluster.partitionsOf(topic).map((_, index) => index))
        this.paused.add(`${topic}/${partition}`);
    }
  }

  resume(topics: Array<{ topic: string; partitions?: number[] }>): void {
    for (const { topic, partitions } of topics) {
      for (const partition of partitions ?? this.cluster.partitionsOf(topic).map((_, index) => index))
        this.paused.delete(`${topic}/${partition}`);
    }
  }

  private isPaused(topic: string, partition: number): boolean {
    return this.paused.has(`${topic}/${partition}`);
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  async disconnect(): Promise<void> {
    await this.stop();
    this.connected = false;
  }
}
