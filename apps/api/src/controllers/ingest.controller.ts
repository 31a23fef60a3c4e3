import { Controller, Param, Post, Req, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '@caravan/health';
import { IngestWebhook } from '@caravan/sources';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorResponse } from './api-docs';

/** Sources' public addresses: senders (GitHub, Stripe, ...) POST here, with no API key. */
@ApiTags('ingest')
@ApiExtraModels(ErrorResponse)
@Public()
@Controller('ingest')
export class IngestController {
  constructor(private readonly ingestWebhook: IngestWebhook) {}

  @Post(':mask_id')
  @ApiOperation({
    operationId: 'ingestWebhook',
    // No API key: the source's verifier is the check (an empty list overrides the document's default).
    security: [],
    summary: 'Receive a webhook for an HTTP source (the ingest_url of the source)',
    description:
      "The request is checked by the source's verifier over the body's exact bytes, then stored as an event with the source's " +
      'source_id before the answer; subscriptions with that source_id route it. The event type comes from mapping.event_type_path, ' +
      "else the provider (X-GitHub-Event, X-Shopify-Topic, the body's `type` for Stripe and Standard Webhooks), else the source name. " +
      'A JSON object body is the event data byte for byte; any other body becomes {"raw": "<body>"}. No request header is forwarded. ' +
      "A repeat of the source's idempotency header gets the same answer and no new event (header Idempotent-Replayed: true).",
  })
  @ApiConsumes('application/json', 'application/x-www-form-urlencoded', 'text/plain', '*/*')
  @ApiBody({
    required: false,
    schema: { type: 'string', format: 'binary' },
    description: 'Any bytes, verified as received.',
  })
  @ApiOkResponse({
    description:
      'Stored: the source\'s configured response (status_code, body, content_type), by default 200 {"status":"ok"}.',
  })
  @ApiBadRequestResponse({
    type: ErrorResponse,
    description: "Verified, but the source's mapping cannot use it (kept as an ingest error).",
  })
  @ApiUnauthorizedResponse({ type: ErrorResponse, description: 'Verification failed; nothing was stored.' })
  @ApiNotFoundResponse({ type: ErrorResponse, description: 'No HTTP source has this mask id.' })
  @ApiPayloadTooLargeResponse({
    type: ErrorResponse,
    description: "Larger than the source's body_limit_bytes (default CARAVAN_BODY_LIMIT_BYTES).",
  })
  async receive(
    @Param('mask_id') maskId: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const answer = await this.ingestWebhook.execute({
      maskId,
      body: request.rawBody ?? Buffer.alloc(0),
      headers: request.headers,
    });
    if (answer.replayed) void reply.header('Idempotent-Replayed', 'true');
    await reply.status(answer.statusCode).header('content-type', answer.contentType).send(answer.body);
  }
}
