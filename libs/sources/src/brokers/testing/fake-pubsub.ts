import { EventEmitter } from 'node:events';
import type { SubscriptionOptions } from '@google-cloud/pubsub';
import type { PubSubClientPort, PubSubMessagePort, PubSubSubscriptionPort } from '../pubsub-consumer';

interface StoredMessage {
  id: string;
  data: Buffer;
  attributes: Record<string, string>;
  deliveries: number;
}

interface SubscriptionState {
  backlog: StoredMessage[];
  outstanding: Set<StoredMessage>;
}

/**
 * A fake Pub/Sub at the @google-cloud/pubsub boundary, behaving as the client library does for what
 * PubSubConsumer uses: adding a 'message' listener opens the stream; flow control (maxMessages without
 * excess) caps the messages handed out and not yet acked or nacked; a nack redelivers at once; close()
 * nacks what is still outstanding. It records what the library would hide: acking a message twice or
 * after it was nacked (the library ignores it and Pub/Sub redelivers), a stream opened twice.
 */
export class FakePubSub {
  private readonly subscriptions = new Map<string, SubscriptionState>();
  readonly violations: string[] = [];
  readonly subscriptionOptions: SubscriptionOptions[] = [];
  private nextId = 1;

  createSubscription(name: string): void {
    this.subscriptions.set(name, { backlog: [], outstanding: new Set() });
  }

  publish(
    subscription: string,
    messages: Array<{ data: Buffer; attributes?: Record<string, string> }>,
  ): void {
    const state = this.stateOf(subscription);
    for (const message of messages) {
      state.backlog.push({
        id: String(this.nextId++),
        data: message.data,
        attributes: { ...(message.attributes ?? {}) },
        deliveries: 0,
      });
    }
    for (const open of this.open) open.dispatch();
  }

  unacknowledged(subscription: string): number {
    const state = this.stateOf(subscription);
    return state.backlog.length + state.outstanding.size;
  }

  client(): PubSubClientPort {
    return {
      subscription: (name, options = {}) => {
        this.subscriptionOptions.push(options);
        return new FakeSubscription(this, this.stateOf(name), options);
      },
      close: async () => undefined,
    };
  }

  readonly open = new Set<FakeSubscription>();

  private stateOf(name: string): SubscriptionState {
    const state = this.subscriptions.get(name);
    if (!state) throw new Error(`fake pubsub: no subscription ${name}`);
    return state;
  }
}

class FakeSubscription extends EventEmitter implements PubSubSubscriptionPort {
  private isOpen = false;
  private readonly maxMessages: number;
  /** Messages handed to this subscriber and not yet acked or nacked, each with its delivery's state. */
  private readonly held = new Map<StoredMessage, { handled: boolean }>();

  constructor(
    private readonly pubsub: FakePubSub,
    private readonly state: SubscriptionState,
    options: SubscriptionOptions,
  ) {
    super();
    const flow = options.flowControl ?? {};
    this.maxMessages =
      flow.allowExcessMessages === false ? (flow.maxMessages ?? 1000) : Number.POSITIVE_INFINITY;
    this.on('newListener', (event: string) => {
      if (event !== 'message') return;
      if (this.isOpen) this.pubsub.violations.push('a second message listener on one subscription');
      this.isOpen = true;
      this.pubsub.open.add(this);
      setImmediate(() => this.dispatch());
    });
  }

  dispatch(): void {
    while (this.isOpen && this.held.size < this.maxMessages && this.state.backlog.length > 0) {
      const stored = this.state.backlog.shift()!;
      stored.deliveries += 1;
      const delivery = { handled: false };
      this.state.outstanding.add(stored);
      this.held.set(stored, delivery);
      const message = this.message(stored, delivery);
      setImmediate(() => this.emit('message', message));
    }
  }

  private message(stored: StoredMessage, delivery: { handled: boolean }): PubSubMessagePort {
    const settle = (how: 'ack' | 'nack'): boolean => {
      if (delivery.handled) {
        this.pubsub.violations.push(
          `${how} of message ${stored.id} after it was handled (the library ignores it)`,
        );
        return false;
      }
      delivery.handled = true;
      this.held.delete(stored);
      this.state.outstanding.delete(stored);
      return true;
    };
    return {
      id: stored.id,
      data: stored.data,
      attributes: stored.attributes,
      deliveryAttempt: 0,
      ackWithResponse: async () => {
        if (settle('ack')) setImmediate(() => this.dispatch());
      },
      nack: () => {
        if (settle('nack')) this.redeliver(stored);
      },
    };
  }

  private redeliver(stored: StoredMessage): void {
    this.state.backlog.unshift(stored);
    setImmediate(() => {
      for (const open of this.pubsub.open) open.dispatch();
    });
  }

  /** Like the library's default close: whatever is still held is nacked, and a later ack of it is ignored. */
  async close(): Promise<void> {
    this.isOpen = false;
    this.pubsub.open.delete(this);
    for (const [stored, delivery] of [...this.held]) {
      delivery.handled = true;
      this.held.delete(stored);
      this.state.outstanding.delete(stored);
      this.redeliver(stored);
    }
  }
}
