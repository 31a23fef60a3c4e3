import { setTimeout as sleep } from 'node:timers/promises';
import type { BrokerConsumerListener, BrokerMessage, MessageSink, PersistOutcome } from '../broker-consumer';
import { mapMessage, type MappedEvent, type MessageMapping } from '../message-mapping';

/** One thing that happened to a message, in the order it happened across the sink and the consumer. */
export interface MessageEvent {
  kind:
    | 'persist-started'
    | 'persist-resolved'
    | 'persist-threw'
    | 'acknowledged'
    | 'redelivery-scheduled'
    | 'stop-called'
    | 'stop-resolved';
  messageId: string;
  outcome?: PersistOutcome;
}

/**
 * A MessageSink for tests that keeps a timeline of persists and acknowledgements (it is also the
 * consumer's listener). Stores events by idempotency key (or message id), answers `duplicate` for a key
 * seen before, maps with mapMessage (poison when unmappable) and can be made to throw or to wait.
 */
export class RecordingSink implements MessageSink {
  readonly timeline: MessageEvent[] = [];
  readonly stored = new Map<string, MappedEvent>();
  readonly brokerErrors: Array<{ operation: string; error: unknown }> = [];
  inProgress = 0;
  maxInProgress = 0;
  persistDelayMs = 0;
  private readonly failuresLeft = new Map<string, number>();
  private readonly keysById = new Map<string, string>();
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;

  constructor(private readonly mapping: MessageMapping = {}) {}

  /** The next `times` persists of the message with this key throw, as when the database is down. */
  failTimes(key: string, times: number): void {
    this.failuresLeft.set(key, times);
  }

  /** Persists wait until release() is called. */
  closeGate(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
  }

  async persist(message: BrokerMessage): Promise<PersistOutcome> {
    this.record('persist-started', message.id);
    this.inProgress += 1;
    this.maxInProgress = Math.max(this.maxInProgress, this.inProgress);
    try {
      if (this.gate) await this.gate;
      if (this.persistDelayMs > 0) await sleep(this.persistDelayMs);
      const mapped = mapMessage(message, this.mapping);
      if ('poison' in mapped) {
        this.record('persist-resolved', message.id, mapped);
        return mapped;
      }
      const key = mapped.event.idempotency_key ?? message.id;
      this.keysById.set(message.id, key);
      const failures = this.failuresLeft.get(key) ?? 0;
      if (failures > 0) {
        this.failuresLeft.set(key, failures - 1);
        throw new Error('database unavailable (simulated)');
      }
      const outcome: PersistOutcome = this.stored.has(key) ? 'duplicate' : 'stored';
      if (outcome === 'stored') this.stored.set(key, mapped.event);
      this.record('persist-resolved', message.id, outcome);
      return outcome;
    } catch (error) {
      this.record('persist-threw', message.id);
      throw error;
    } finally {
      this.inProgress -= 1;
    }
  }

  readonly listener: BrokerConsumerListener = {
    acknowledged: (message, outcome) => this.record('acknowledged', message.id, outcome),
    redeliveryScheduled: (message) => this.record('redelivery-scheduled', message.id),
    brokerError: (operation, error) => this.brokerErrors.push({ operation, error }),
  };

  record(kind: MessageEvent['kind'], messageId = '', outcome?: PersistOutcome): number {
    this.timeline.push({ kind, messageId, outcome });
    return this.timeline.length - 1;
  }

  /** Positions in the timeline of events of this kind (for one message, when given). */
  positions(kind: MessageEvent['kind'], messageId?: string): number[] {
    const found: number[] = [];
    this.timeline.forEach((event, index) => {
      if (event.kind === kind && (messageId === undefined || event.messageId === messageId))
        found.push(index);
    });
    return found;
  }

  events(kind: MessageEvent['kind']): MessageEvent[] {
    return this.timeline.filter((event) => event.kind === kind);
  }

  /** How often each message was acknowledged. */
  acknowledgementsById(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const event of this.events('acknowledged'))
      counts.set(event.messageId, (counts.get(event.messageId) ?? 0) + 1);
    return counts;
  }

  /** The broker's id of the message that carried this key. */
  messageIdOf(key: string): string | undefined {
    return [...this.keysById].find(([, value]) => value === key)?.[0];
  }
}

/** Polls until the condition holds; fails naming what it waited for. */
export async function waitUntil(
  what: string,
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 20_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(20);
  }
}
