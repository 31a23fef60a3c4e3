import {
  Kafka,
  logLevel,
  type Consumer,
  type ConsumerConfig,
  type EachMessagePayload,
  type IHeaders,
  type KafkaConfig,
  type KafkaMessage,
  type SASLOptions,
} from 'kafkajs';
import { InFlightWork } from '@caravan/common';
import type { BrokerConsumer, BrokerConsumerListener, BrokerMessage, MessageSink } from './broker-consumer';
import { intInRange } from './consumer-options';
import { loggingListener } from './logging-listener';
import {
  DEFAULT_REDELIVERY_BACKOFF,
  RedeliveryBackoff,
  type RedeliveryBackoffOptions,
} from './redelivery-backoff';

export interface KafkaConsumerOptions {
  /** `host:port` of one or more brokers to bootstrap from. */
  brokers: string[];
  topic: string;
  groupId: string;
  clientId?: string;
  /** TLS to the brokers. Default: on when SASL is used, else off. */
  ssl?: boolean;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
  /** Where a group without committed offsets starts: the oldest message (true) or new ones only. Default false. */
  fromBeginning?: boolean;
  /**
   * Partitions persisted at the same time, 1 to 1000. Default 10. Messages of one partition are persisted
   * one after another, in order, so a topic with one partition is never read by more than one worker.
   */
  workers?: number;
  sessionTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  backoff?: RedeliveryBackoffOptions;
  listener?: BrokerConsumerListener;
  name?: string;
}

/** The part of kafkajs's Consumer this adapter uses; tests put a fake behind it. */
export type KafkaConsumerPort = Pick<
  Consumer,
  'connect' | 'subscribe' | 'run' | 'commitOffsets' | 'seek' | 'pause' | 'resume' | 'stop' | 'disconnect'
>;

export type KafkaConsumerFactory = (client: KafkaConfig, consumer: ConsumerConfig) => KafkaConsumerPort;

const createKafkaJsConsumer: KafkaConsumerFactory = (client, consumer) =>
  new Kafka(client).consumer(consumer);

/** The kafkajs client settings for these options (SASL implies TLS unless `ssl: false` says otherwise). */
export function kafkaClientConfig(options: KafkaConsumerOptions): KafkaConfig {
  return {
    clientId: options.clientId ?? 'caravan',
    brokers: options.brokers,
    ssl: options.ssl ?? options.sasl !== undefined,
    sasl: options.sasl ? saslOptions(options.sasl) : undefined,
    logLevel: logLevel.WARN,
  };
}

function saslOptions({
  mechanism,
  username,
  password,
}: NonNullable<KafkaConsumerOptions['sasl']>): SASLOptions {
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
}

/**
 * Consumes one topic in a consumer group. Offsets are committed by hand (autoCommit off), one message at
 * a time, only after persist() resolved. When persist() throws, the partition seeks back to that message
 * and pauses for the backoff delay: kafkajs would otherwise carry on with the next offset, and a later
 * commit would skip the failed message.
 */
export class KafkaConsumer implements BrokerConsumer {
  readonly name: string;
  private readonly listener: BrokerConsumerListener;
  private readonly workers: number;
  private readonly heartbeatIntervalMs: number;
  private readonly inFlight = new InFlightWork();
  private readonly backoffs = new Map<number, RedeliveryBackoff>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private consumer: KafkaConsumerPort | null = null;
  private stopRequested = false;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly options: KafkaConsumerOptions,
    private readonly createConsumer: KafkaConsumerFactory = createKafkaJsConsumer,
  ) {
    if (options.brokers.length === 0) throw new RangeError('brokers must name at least one broker');
    this.workers = intInRange('workers', options.workers ?? 10, 1, 1000);
    this.heartbeatIntervalMs = intInRange(
      'heartbeatIntervalMs',
      options.heartbeatIntervalMs ?? 3000,
      100,
      60_000,
    );
    this.name = options.name ?? `kafka:${options.topic}@${options.groupId}`;
    this.listener = options.listener ?? loggingListener(this.name);
  }

  async start(sink: MessageSink): Promise<void> {
    if (this.consumer || this.stopping)
      throw new Error(`${this.name} was started already; create a new consumer instead`);
    const consumer = this.createConsumer(kafkaClientConfig(this.options), {
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? 30_000,
      heartbeatInterval: this.heartbeatIntervalMs,
    });
    try {
      await consumer.connect();
      await consumer.subscribe({
        topics: [this.options.topic],
        fromBeginning: this.options.fromBeginning ?? false,
      });
      await consumer.run({
        autoCommit: false,
        partitionsConsumedConcurrently: this.workers,
        eachMessage: (payload) => this.onMessage(consumer, sink, payload),
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw error;
    }
    this.consumer = consumer;
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.stopRequested = true;
    const consumer = this.consumer;
    if (!consumer) return;
    consumer.pause([{ topic: this.options.topic }]);
    for (const timer of this.resumeTimers) clearTimeout(timer);
    // Commit what is being persisted before kafkajs stops: once stopped it drops commits silently.
    await this.inFlight.drained();
    await consumer.stop();
    await consumer.disconnect();
  }

  private async onMessage(
    consumer: KafkaConsumerPort,
    sink: MessageSink,
    payload: EachMessagePayload,
  ): Promise<void> {
    if (this.stopRequested) {
      // Left uncommitted: the group's next consumer starts at this message.
      payload.pause();
      return;
    }
    // Never throws: an error escaping eachMessage makes kafkajs retry the batch and restart the consumer.
    await this.inFlight.track(this.persistAndCommit(consumer, sink, payload));
  }

  private async persistAndCommit(
    consumer: KafkaConsumerPort,
    sink: MessageSink,
    payload: EachMessagePayload,
  ): Promise<void> {
    const { topic, partition, message } = payload;
    const brokerMessage = toBrokerMessage(topic, partition, message);
    const backoff = this.backoffFor(partition);
    // kafkajs heartbeats only between messages; a persist longer than the session timeout would otherwise
    // get this consumer expelled from the group and its partitions handed to another one mid-persist.
    const keepAlive = setInterval(() => {
      payload.heartbeat().catch((error: unknown) => this.listener.brokerError?.('heartbeat', error));
    }, this.heartbeatIntervalMs);
    let outcome;
    try {
      outcome = await sink.persist(brokerMessage);
    } catch (error) {
      const delayMs = backoff.nextDelayMs();
      consumer.seek({ topic, partition, offset: message.offset });
      const resume = payload.pause();
      this.scheduleResume(resume, delayMs);
      this.listener.redeliveryScheduled?.(brokerMessage, error, delayMs);
      return;
    } finally {
      clearInterval(keepAlive);
    }
    backoff.reset();
    try {
      // A committed offset names the next message to read.
      await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
    } catch (error) {
      // Not committed: after a restart or rebalance the message comes again and the sink answers `duplicate`.
      this.listener.brokerError?.('commit an offset', error);
      return;
    }
    this.listener.acknowledged?.(brokerMessage, outcome);
  }

  private scheduleResume(resume: () => void, delayMs: number): void {
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      if (!this.stopRequested) resume();
    }, delayMs);
    this.resumeTimers.add(timer);
  }

  private backoffFor(partition: number): RedeliveryBackoff {
    let backoff = this.backoffs.get(partition);
    if (!backoff) {
      backoff = new RedeliveryBackoff(this.options.backoff ?? DEFAULT_REDELIVERY_BACKOFF);
      this.backoffs.set(partition, backoff);
    }
    return backoff;
  }
}

function toBrokerMessage(topic: string, partition: number, message: KafkaMessage): BrokerMessage {
  return {
    id: `${topic}/${partition}/${message.offset}`,
    body: message.value ?? Buffer.alloc(0),
    attributes: headersAsText(message.headers),
    receivedAt: new Date(),
    deliveryAttempt: null,
  };
}

/** Kafka headers as text; a header sent more than once keeps its last value. */
export function headersAsText(headers: IHeaders | undefined): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) attributes[name] = last.toString();
  }
  return attributes;
}
