/**
 * The shared contract of the broker sources. An adapter (SQS, Kafka, Pub/Sub) fetches messages and hands
 * each to a MessageSink; it acknowledges a message to its broker only once persist() has resolved, so a
 * message is either durable in Caravan or still held by the broker, never neither.
 */

/** One message as it arrived from a broker, before it is mapped to an event. */
export interface BrokerMessage {
  /**
   * The broker's id for the message, the same on every redelivery: the SQS MessageId, the Pub/Sub
   * message id, or `topic/partition/offset` for Kafka.
   */
  id: string;
  body: Buffer;
  /** SQS message attributes (String and Number types), Kafka headers or Pub/Sub attributes, as text. */
  attributes: Record<string, string>;
  receivedAt: Date;
  /** How often the broker has handed this message out, where it says (SQS; Pub/Sub with a dead-letter policy). */
  deliveryAttempt: number | null;
}

/**
 * What became of a message: `stored` (now durable), `duplicate` (it was stored before) or `poison` (it can
 * never be stored, and the sink has recorded why). All three let the adapter acknowledge the message.
 */
export type PersistOutcome = 'stored' | 'duplicate' | { poison: string };

/** The port the adapters call. */
export interface MessageSink {
  /**
   * Maps the message to an event and commits it durably. Throws only when trying again later may succeed
   * (the database is down): the adapter then leaves the message with its broker, which redelivers it.
   */
  persist(message: BrokerMessage): Promise<PersistOutcome>;
}

export interface BrokerConsumer {
  /** Names the consumer in logs: the adapter and the queue, topic or subscription it reads. */
  readonly name: string;
  /** Connects and begins consuming; resolves once messages are being fetched. */
  start(sink: MessageSink): Promise<void>;
  /**
   * Stops fetching, lets the messages being persisted finish and acknowledges those that were stored,
   * then disconnects. Messages fetched but not yet handed to the sink go back to the broker at once.
   */
  stop(): Promise<void>;
}

/** What a consumer reports while it runs: the seam for logs and metrics. Every method is optional. */
export interface BrokerConsumerListener {
  /** The broker was told to forget the message, after persist() resolved to `outcome`. */
  acknowledged?(message: BrokerMessage, outcome: PersistOutcome): void;
  /** persist() threw: the message stays with the broker and is offered again after about `delayMs`. */
  redeliveryScheduled?(message: BrokerMessage, error: unknown, delayMs: number): void;
  /** A call to the broker failed (fetch, acknowledge, commit). The consumer keeps going. */
  brokerError?(operation: string, error: unknown): void;
}

export function isPoison(outcome: PersistOutcome): outcome is { poison: string } {
  return typeof outcome === 'object' && outcome !== null && typeof outcome.poison === 'string';
}

/** `stored`, `duplicate` or `poison: <reason>`, for log lines. */
export function describeOutcome(outcome: PersistOutcome): string {
  return isPoison(outcome) ? `poison: ${outcome.poison}` : outcome;
}
