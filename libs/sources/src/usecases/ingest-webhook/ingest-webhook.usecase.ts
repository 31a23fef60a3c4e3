import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  CARAVAN_CONFIG,
  CaravanConfig,
  DomainError,
  InvalidInputError,
  UnauthorizedError,
} from '@caravan/common';
import { EventSchemaViolation } from '@caravan/event-types';
import { IngestEvent } from '@caravan/events';
import type { WebhookHeaders } from '@caravan/signatures';
import type { Source, SourceResponseConfig } from '../../entities/source.entity';
import { webhookEvent } from '../../mapping/webhook-event';
import { bodyLimitOf } from '../../source-body-limit';
import { SourceCredentials } from '../../source-credentials';
import { PayloadTooLargeError } from '../../source-errors';
import { verifyIncomingRequest } from '../../verifiers/request-verifier';
import { FindIngestSource } from '../find-ingest-source/find-ingest-source.usecase';
import { RecordIngestError } from '../record-ingest-error/record-ingest-error.usecase';

export interface IncomingWebhook {
  maskId: string;
  /** The body's exact bytes: signatures are computed over them, not over parsed JSON. */
  body: Uint8Array;
  headers: WebhookHeaders;
}

/** What to answer the sender. */
export interface WebhookAnswer {
  statusCode: number;
  body: string;
  contentType: string;
  eventId: string;
  /** The idempotency key was seen before: no new event. */
  replayed: boolean;
}

export const DEFAULT_WEBHOOK_RESPONSE: SourceResponseConfig = {
  status_code: 200,
  body: '{"status":"ok"}',
  content_type: 'application/json',
};

/** Headers kept with an ingest error: enough to tell deliveries apart, never credentials or signatures. */
const INGEST_ERROR_HEADERS = [
  'content-type',
  'user-agent',
  'x-github-event',
  'x-github-delivery',
  'x-shopify-topic',
  'webhook-id',
];

/**
 * Receives a webhook for an HTTP source: finds the source (404), checks the body size (413) and the
 * sender (401, storing nothing), turns the body into an event and stores it before answering, with
 * the source's id so subscriptions of that source route it. A request the source's mapping cannot
 * use (not UTF-8, a bad endpoint id), or whose data breaks its event type's schema, is kept as an
 * ingest error and answered 400.
 * No request header is forwarded to endpoints: they may carry the sender's credentials.
 */
@Injectable()
export class IngestWebhook {
  private readonly logger = new Logger(IngestWebhook.name);

  constructor(
    private readonly findSource: FindIngestSource,
    private readonly credentials: SourceCredentials,
    private readonly ingestEvent: IngestEvent,
    private readonly recordError: RecordIngestError,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  async execute(webhook: IncomingWebhook): Promise<WebhookAnswer> {
    const source = await this.findSource.execute(webhook.maskId);
    const limit = bodyLimitOf(source, this.config.api.bodyLimitBytes);
    if (webhook.body.length > limit) throw PayloadTooLargeError.of(limit);

    const verification = verifyIncomingRequest(this.credentials.openVerifier(source.verifier), webhook);
    if (!verification.ok) throw new UnauthorizedError(`webhook verification failed: ${verification.reason}`);

    const mapped = webhookEvent(
      {
        name: source.name,
        verifierType: source.verifier.type,
        mapping: source.mapping,
        idempotencyHeader: source.idempotencyHeader,
      },
      webhook.body,
      webhook.headers,
    );
    if (!mapped.ok) return this.refuse(source, webhook, mapped.reason);
    const { event } = mapped;

    let result;
    try {
      result = await this.ingestEvent.execute(
        source.projectId,
        {
          event_type: event.eventType,
          data: event.data,
          endpoint_id: event.endpointId,
          owner_id: event.ownerId,
          idempotency_key: event.idempotencyKey,
        },
        { sourceId: source.id, payload: event.payload },
      );
    } catch (error) {
      // The body breaks the schema of its event type: the sender is told where, as the events API does.
      if (error instanceof EventSchemaViolation) return this.refuse(source, webhook, error.message, error.field);
      // Otherwise only the mapped endpoint id can be refused here (unknown in the project): the sender's data, not a bug.
      if (error instanceof DomainError && error.status < 500)
        return this.refuse(source, webhook, `${error.message} (from the source's mapping)`);
      throw error;
    }
    const response = source.response ?? DEFAULT_WEBHOOK_RESPONSE;
    return {
      statusCode: response.status_code,
      body: response.body,
      contentType: response.content_type,
      eventId: result.event.id,
      replayed: result.replayed,
    };
  }

  private async refuse(source: Source, webhook: IncomingWebhook, reason: string, field?: string): Promise<never> {
    await this.recordError
      .execute({
        projectId: source.projectId,
        sourceId: source.id,
        reason,
        body: webhook.body,
        headers: keptHeaders(webhook.headers),
      })
      .catch((error: unknown) =>
        this.logger.warn(`ingest error of source ${source.id} not recorded: ${String(error)}`),
      );
    throw new InvalidInputError(reason, field);
  }
}

function keptHeaders(headers: WebhookHeaders): Record<string, string> | null {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (INGEST_ERROR_HEADERS.includes(name.toLowerCase()) && value !== undefined)
      kept[name.toLowerCase()] = [value].flat().join(', ');
  }
  return Object.keys(kept).length > 0 ? kept : null;
}
