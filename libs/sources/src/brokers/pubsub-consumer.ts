import { setTimeout as sleep } from 'node:timers/promises';
import { Duration, PubSub, type ClientConfig, type SubscriptionOptions } from '@google-cloud/pubsub';
import { InFlightWork } from '@caravan/common';
import type { BrokerConsumer, BrokerConsumerListener, BrokerMessage, MessageSink } from './broker-consumer';
import { intInRange } from './consumer-options';
import { loggingListener } from './logging-listener';
import {
  DEFAULT_REDELIVERY_BACKOFF,
  RedeliveryBackoff,
  type RedeliveryBackoffOptions,
} from './redelivery-backoff';

export interface PubSubConsumerOptions {
  projectId: string;
  /** The subscription's id, or its full name `projects/<project>/subscriptions/<id>`. */
  subscription: string;
  /** A service account's key (its JSON's client_email and private_key). Default: Application Default Credentials. */
  credentials?: { client_email: string; private_key: string };
  /**
   * `host:port` of an emulator or another endpoint. Unset, the client library uses PUBSUB_EMULATOR_HOST when
   * that is set, else Google's endpoint.
   */
  apiEndpoint?: string;
  /** Messages persisted at the same time (the subscriber's flow control), 1 to 1000. Default 10. */
  workers?: number;
  /** How long the client library keeps extending the lease of a message being persisted. Default 60 minutes. */
  maxExtensionSeconds?: number;
  backoff?: RedeliveryBackoffOptions;
  listener?: BrokerConsumerListener;
  name?: string;
}

/** The part of @google-cloud/pubsub this adapter uses; tests put a fake behind it. */
export interface PubSubMessagePort {
  readonly id: string;
  readonly data: Buffer;
  readonly attributes: Record<string, string>;
  /** Counted only on subscriptions with a dead-letter policy; 0 otherwise. */
  readonly deliveryAttempt: number;
  ackWithResponse(): Promise<unknown>;
  nack(): void;
}

export interface PubSubSubscriptionPort {
  on(event: 'message', listener: (message: PubSubMessagePort) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  close(): Promise<void>;
}

export interface PubSubClientPort {
  subscription(name: string, options?: SubscriptionOptions): PubSubSubscriptionPort;
  close(): Promise<void>;
}

export type PubSubClientFactory = (options: PubSubConsumerOptions) => PubSubClientPort;

const createPubSubClient: PubSubClientFactory = (options) => new PubSub(pubSubClientConfig(options));

/** The client library's settings for these options. */
export function pubSubClientConfig(
  options: Pick<PubSubConsumerOptions, 'projectId' | 'credentials' | 'apiEndpoint'>,
): ClientConfig {
  const host = options.apiEndpoint?.replace(/^https?:\/\//, '').replace(/[:/].*$/, '');
  const emulator = host !== undefined && !host.endsWith('.googleapis.com');
  return {
    projectId: options.projectId,
    credentials: options.credentials,
    apiEndpoint: options.apiEndpoint,
    // An emulator takes no credentials. Naming the universe keeps the auth library from looking for
    // Application Default Credentials, which probes the GCE metadata server off this machine.
    ...(emulator ? { emulatorMode: true, universeDomain: 'googleapis.com' } : {}),
  };
}

/**
 * Consumes a Pub/Sub subscription by streaming pull. The client library leases each message it holds and
 * extends the lease while persist() runs; flow control caps the messages handed out at `workers`. A message is
 * acked once persist() resolved. When persist() throws, it is held for the backoff delay (keeping its worker
 * busy, so a consumer whose database is down slows down) and then nacked, which makes Pub/Sub redeliver it.
 */
export class PubSubConsumer implements BrokerConsumer {
  readonly name: string;
  private readonly listener: BrokerConsumerListener;
  private readonly workers: number;
  private readonly backoff: RedeliveryBackoff;
  private readonly inFlight = new InFlightWork();
  private readonly stopSignal = new AbortController();
  private client: PubSubClientPort | null = null;
  private subscription: PubSubSubscriptionPort | null = null;
  private stopping: Promise<void> | null = null;

  constructor(
    private readonly options: PubSubConsumerOptions,
    private readonly createClient: PubSubClientFactory = createPubSubClient,
  ) {
    this.workers = intInRange('workers', options.workers ?? 10, 1, 1000);
    if (options.maxExtensionSeconds !== undefined)
      intInRange('maxExtensionSeconds', options.maxExtensionSeconds, 10, 24 * 3600);
    this.name = options.name ?? `pubsub:${options.projectId}/${options.subscription}`;
    this.listener = options.listener ?? loggingListener(this.name);
    this.backoff = new RedeliveryBackoff(options.backoff ?? DEFAULT_REDELIVERY_BACKOFF);
  }

  async start(sink: MessageSink): Promise<void> {
    if (this.client || this.stopping)
      throw new Error(`${this.name} was started already; create a new consumer instead`);
    this.client = this.createClient(this.options);
    const subscription = this.client.subscription(this.options.subscription, {
      // Without allowExcessMessages: false the library hands out whole server batches beyond maxMessages.
      flowControl: { maxMessages: this.workers, allowExcessMessages: false },
      ...(this.options.maxExtensionSeconds !== undefined
        ? { maxExtensionTime: Duration.from({ seconds: this.options.maxExtensionSeconds }) }
        : {}),
    });
    subscription.on('error', (error) => this.listener.brokerError?.('pull messages', error));
    // Adding the message listener opens the stream.
    subscription.on('message', (message) => this.onMessage(sink, message));
    this.subscription = subscription;
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.stopSignal.abort();
    if (!this.subscription || !this.client) return;
    await this.inFlight.drained();
    // Closing nacks what the library still holds and flushes the acks sent meanwhile.
    await this.subscription.close();
    await this.client.close();
  }

  private onMessage(sink: MessageSink, message: PubSubMessagePort): void {
    if (this.stopSignal.signal.aborted) {
      message.nack();
      return;
    }
    void this.inFlight.track(this.persistAndAck(sink, message));
  }

  private async persistAndAck(sink: MessageSink, message: PubSubMessagePort): Promise<void> {
    const brokerMessage = toBrokerMessage(message);
    let outcome;
    try {
      outcome = await sink.persist(brokerMessage);
    } catch (error) {
      const delayMs = this.backoff.nextDelayMs();
      this.listener.redeliveryScheduled?.(brokerMessage, error, delayMs);
      await sleep(delayMs, undefined, { signal: this.stopSignal.signal }).catch(() => undefined);
      message.nack();
      return;
    }
    this.backoff.reset();
    try {
      // Resolves once Pub/Sub confirmed the ack on exactly-once subscriptions; at once on others.
      await message.ackWithResponse();
    } catch (error) {
      // Redelivered later; the sink then answers `duplicate`.
      this.listener.brokerError?.('acknowledge a persisted message', error);
      return;
    }
    this.listener.acknowledged?.(brokerMessage, outcome);
  }
}

function toBrokerMessage(message: PubSubMessagePort): BrokerMessage {
  return {
    id: message.id,
    body: message.data,
    attributes: { ...message.attributes },
    receivedAt: new Date(),
    deliveryAttempt: message.deliveryAttempt > 0 ? message.deliveryAttempt : null,
  };
}
