import { setTimeout as sleep } from 'node:timers/promises';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { InFlightWork } from '@caravan/common';
import type { BrokerConsumer, BrokerConsumerListener, BrokerMessage, MessageSink } from './broker-consumer';
import { intInRange } from './consumer-options';
import { loggingListener } from './logging-listener';
import {
  DEFAULT_REDELIVERY_BACKOFF,
  RedeliveryBackoff,
  type RedeliveryBackoffOptions,
} from './redelivery-backoff';

export interface SqsConsumerOptions {
  queueUrl: string;
  /** Defaults to the region in an AWS queue URL, else us-east-1 (what SQS-compatible servers expect). */
  region?: string;
  /** For SQS-compatible servers (ElasticMQ, LocalStack, fauxqs): `http://127.0.0.1:4566`. */
  endpoint?: string;
  /** Defaults to the AWS SDK's provider chain (environment, shared files, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Messages persisted at the same time, 1 to 1000. Default 10. */
  workers?: number;
  /** Long-polling wait of each receive, 0 to 20 seconds. Default 20. */
  waitTimeSeconds?: number;
  /**
   * How long a received message stays hidden from other consumers, 1 to 43200 seconds. A persist that
   * takes longer keeps its message hidden by extending this at half-time. Default 30.
   */
  visibilityTimeoutSeconds?: number;
  backoff?: RedeliveryBackoffOptions;
  listener?: BrokerConsumerListener;
  name?: string;
}

/** SQS returns at most 10 messages per receive. */
const MAX_MESSAGES_PER_RECEIVE = 10;
const MAX_VISIBILITY_SECONDS = 43_200;

/**
 * Consumes an SQS queue. `workers` bounds the messages being persisted at once; pollers ask only for as
 * many messages as there are free workers, so no received message waits in memory with its visibility
 * timeout running. A message is deleted only after persist() resolved; when persist() throws, its
 * visibility is set to the backoff delay so SQS offers it again then, and the worker waits out the same
 * delay before taking another message (when the database is down, the whole consumer slows down).
 */
export class SqsConsumer implements BrokerConsumer {
  readonly name: string;
  private readonly client: SQSClient;
  private readonly ownsClient: boolean;
  private readonly listener: BrokerConsumerListener;
  private readonly workers: number;
  private readonly waitTimeSeconds: number;
  private readonly visibilityTimeoutSeconds: number;
  private readonly redeliveryBackoff: RedeliveryBackoff;
  private readonly receiveBackoff = new RedeliveryBackoff({ initialDelayMs: 500, maxDelayMs: 30_000 });
  private readonly inFlight = new InFlightWork();
  private readonly stopSignal = new AbortController();
  private sink: MessageSink | null = null;
  private pollers: Promise<void>[] = [];
  private stopping: Promise<void> | null = null;
  private freeWorkers: number;
  private workerWaiters: Array<() => void> = [];

  constructor(
    private readonly options: SqsConsumerOptions,
    client?: SQSClient,
  ) {
    this.workers = intInRange('workers', options.workers ?? 10, 1, 1000);
    this.waitTimeSeconds = intInRange('waitTimeSeconds', options.waitTimeSeconds ?? 20, 0, 20);
    this.visibilityTimeoutSeconds = intInRange(
      'visibilityTimeoutSeconds',
      options.visibilityTimeoutSeconds ?? 30,
      1,
      MAX_VISIBILITY_SECONDS,
    );
    this.freeWorkers = this.workers;
    this.name = options.name ?? `sqs:${options.queueUrl}`;
    this.listener = options.listener ?? loggingListener(this.name);
    this.redeliveryBackoff = new RedeliveryBackoff(options.backoff ?? DEFAULT_REDELIVERY_BACKOFF);
    this.ownsClient = client === undefined;
    this.client =
      client ??
      new SQSClient({
        region: options.region ?? regionOf(options.queueUrl),
        endpoint: options.endpoint,
        credentials: options.credentials,
      });
  }

  async start(sink: MessageSink): Promise<void> {
    if (this.sink || this.stopping)
      throw new Error(`${this.name} was started already; create a new consumer instead`);
    // Fails fast on a wrong queue URL, endpoint or credentials instead of logging receive errors forever.
    await this.client.send(
      new GetQueueAttributesCommand({ QueueUrl: this.options.queueUrl, AttributeNames: ['QueueArn'] }),
    );
    this.sink = sink;
    const pollers = Math.ceil(this.workers / MAX_MESSAGES_PER_RECEIVE);
    this.pollers = Array.from({ length: pollers }, () => this.poll(sink));
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private get running(): boolean {
    return this.sink !== null && !this.stopSignal.signal.aborted;
  }

  private async shutdown(): Promise<void> {
    // Aborting interrupts long polls and backoff waits. Messages in a receive response that is lost to
    // the abort stay hidden until their visibility timeout ends, then SQS offers them again.
    this.stopSignal.abort();
    for (const wake of this.workerWaiters.splice(0)) wake();
    await Promise.all(this.pollers);
    await this.inFlight.drained();
    if (this.ownsClient) this.client.destroy();
  }

  private async poll(sink: MessageSink): Promise<void> {
    while (this.running) {
      const wanted = await this.reserveWorkers();
      if (wanted === 0) return;
      let messages: Message[];
      try {
        const received = await this.client.send(
          new ReceiveMessageCommand({
            QueueUrl: this.options.queueUrl,
            MaxNumberOfMessages: wanted,
            WaitTimeSeconds: this.waitTimeSeconds,
            VisibilityTimeout: this.visibilityTimeoutSeconds,
            MessageAttributeNames: ['All'],
            MessageSystemAttributeNames: ['ApproximateReceiveCount'],
          }),
          { abortSignal: this.stopSignal.signal },
        );
        messages = received.Messages ?? [];
        this.receiveBackoff.reset();
      } catch (error) {
        this.releaseWorkers(wanted);
        if (!this.running) return;
        this.listener.brokerError?.('receive messages', error);
        await this.pause(this.receiveBackoff.nextDelayMs());
        continue;
      }
      this.releaseWorkers(wanted - messages.length);
      for (const message of messages) {
        const work = this.running
          ? this.handle(sink, message)
          : this.changeVisibility(message, 0, 'return a message at stop');
        void this.inFlight.track(work.finally(() => this.releaseWorkers(1)));
      }
    }
  }

  private async handle(sink: MessageSink, received: Message): Promise<void> {
    const message = toBrokerMessage(received);
    const heartbeat = new VisibilityHeartbeat(this.visibilityTimeoutSeconds, () =>
      this.changeVisibility(
        received,
        this.visibilityTimeoutSeconds,
        'extend the visibility of a message being persisted',
      ),
    );
    let outcome;
    try {
      outcome = await sink.persist(message);
    } catch (error) {
      await heartbeat.stop();
      const delayMs = this.redeliveryBackoff.nextDelayMs();
      await this.changeVisibility(
        received,
        Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(delayMs / 1000)),
        'delay a redelivery',
      );
      this.listener.redeliveryScheduled?.(message, error, delayMs);
      await this.pause(delayMs);
      return;
    }
    await heartbeat.stop();
    this.redeliveryBackoff.reset();
    try {
      await this.client.send(
        new DeleteMessageCommand({ QueueUrl: this.options.queueUrl, ReceiptHandle: received.ReceiptHandle }),
      );
    } catch (error) {
      // The message comes back when its visibility ends; the sink then answers `duplicate`.
      this.listener.brokerError?.('delete a persisted message', error);
      return;
    }
    this.listener.acknowledged?.(message, outcome);
  }

  private async changeVisibility(message: Message, seconds: number, operation: string): Promise<void> {
    try {
      await this.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.options.queueUrl,
          ReceiptHandle: message.ReceiptHandle,
          VisibilityTimeout: seconds,
        }),
      );
    } catch (error) {
      this.listener.brokerError?.(operation, error);
    }
  }

  /** Waits for at least one free worker and takes as many as one receive can fill. 0 once stopping. */
  private async reserveWorkers(): Promise<number> {
    while (this.freeWorkers === 0 && this.running)
      await new Promise<void>((resolve) => this.workerWaiters.push(resolve));
    if (!this.running) return 0;
    const taken = Math.min(MAX_MESSAGES_PER_RECEIVE, this.freeWorkers);
    this.freeWorkers -= taken;
    return taken;
  }

  private releaseWorkers(count: number): void {
    this.freeWorkers += count;
    for (const wake of this.workerWaiters.splice(0)) wake();
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopSignal.signal }).catch(() => undefined);
  }
}

/** Keeps a message hidden while it is persisted: extends its visibility at half of each timeout. */
class VisibilityHeartbeat {
  private readonly timer: NodeJS.Timeout;
  private extending: Promise<void> = Promise.resolve();

  constructor(visibilityTimeoutSeconds: number, extend: () => Promise<void>) {
    this.timer = setInterval(
      () => {
        this.extending = this.extending.then(extend);
      },
      (visibilityTimeoutSeconds * 1000) / 2,
    );
  }

  /** Stops extending; resolves once an extension under way has finished, so it cannot follow the delete. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.extending;
  }
}

function toBrokerMessage(message: Message): BrokerMessage {
  const attributes: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    // Binary attributes carry no text to map; String and Number (and their custom subtypes) do.
    if (value.StringValue !== undefined && !value.DataType?.startsWith('Binary'))
      attributes[name] = value.StringValue;
  }
  const receiveCount = Number(message.Attributes?.ApproximateReceiveCount);
  return {
    id: message.MessageId ?? '',
    body: Buffer.from(message.Body ?? '', 'utf8'),
    attributes,
    receivedAt: new Date(),
    deliveryAttempt: Number.isInteger(receiveCount) && receiveCount > 0 ? receiveCount : null,
  };
}

function regionOf(queueUrl: string): string {
  const match = /^https?:\/\/sqs[.-]([a-z0-9-]+)\.amazonaws\.com/i.exec(queueUrl);
  return match?.[1] ?? 'us-east-1';
}
