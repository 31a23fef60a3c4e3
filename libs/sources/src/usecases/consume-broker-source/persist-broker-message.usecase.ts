import { Injectable } from '@nestjs/common';
import { DomainError } from '@caravan/common';
import { IngestEvent } from '@caravan/events';
import type { BrokerMessage, MessageSink, PersistOutcome } from '../../brokers/broker-consumer';
import { mapMessage } from '../../brokers/message-mapping';
import type { Source } from '../../entities/source.entity';
import { RecordIngestError } from '../record-ingest-error/record-ingest-error.usecase';

/**
 * Turns a broker message into a durable event; the adapter acknowledges the message only after
 * this resolves. A message that can never become an event (not JSON, no event type, an unknown
 * endpoint, data that breaks its event type's schema) is kept as an ingest error and acknowledged,
 * so it does not block the stream: redelivering it would fail the same way forever.
 * Anything else (the database is down) throws, and the broker delivers the message again.
 */
@Injectable()
export class PersistBrokerMessage {
  constructor(
    private readonly ingestEvent: IngestEvent,
    private readonly recordIngestError: RecordIngestError,
  ) {}

  sinkFor(source: Source): MessageSink {
    return { persist: (message) => this.execute(source, message) };
  }

  async execute(source: Source, message: BrokerMessage): Promise<PersistOutcome> {
    const mapped = mapMessage(message, source.mapping ?? {});
    if ('poison' in mapped) return this.poison(source, message, mapped.poison);
    // Without a key of its own, a redelivered message must still make one event, not two.
    const idempotencyKey = mapped.event.idempotency_key ?? `broker:${message.id}`;
    try {
      const { replayed } = await this.ingestEvent.execute(
        source.projectId,
        { ...mapped.event, idempotency_key: idempotencyKey },
        { sourceId: source.id },
      );
      return replayed ? 'duplicate' : 'stored';
    } catch (error) {
      if (error instanceof DomainError) return this.poison(source, message, error.message);
      throw error;
    }
  }

  private async poison(source: Source, message: BrokerMessage, reason: string): Promise<PersistOutcome> {
    await this.recordIngestError.execute({
      projectId: source.projectId,
      sourceId: source.id,
      reason,
      body: message.body,
      headers: message.attributes,
    });
    return { poison: reason };
  }
}
