import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { GetIngestBodyLimit, MAX_SOURCE_BODY_LIMIT_BYTES, PayloadTooLargeError } from '@caravan/sources';
import { errorCodes, type FastifyRequest } from 'fastify';
import { Transform, type TransformCallback } from 'node:stream';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's exact bytes, as received: what an ingest route verifies signatures over. */
    rawBody?: Buffer;
  }
}

/** Routes under this prefix are sources' public ingest addresses. */
export const INGEST_PREFIX = '/ingest/';

function isIngestRoute(request: FastifyRequest): boolean {
  return request.routeOptions.url?.startsWith(INGEST_PREFIX) ?? false;
}

/**
 * Every body is read as bytes and kept as `request.rawBody`, so a webhook's signature can be checked
 * over exactly what was sent. Elsewhere nothing changes: JSON is parsed as Fastify's own parser does
 * (same errors, same prototype-poisoning refusal) and any other content type answers 415. An ingest
 * route takes any content type and leaves parsing to its use case, after verification.
 */
export function captureRawBodies(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser(['application/json', 'text/plain', 'application/x-www-form-urlencoded']);
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body;
    if (isIngestRoute(request)) return done(null, undefined);
    parseJson(request, body.toString('utf8'), done);
  });
  // Fastify runs the catch-all for unknown routes too: those keep their 404.
  fastify.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    if (request.is404) return done(null, undefined);
    if (!isIngestRoute(request)) return done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(), undefined);
    request.rawBody = body;
    done(null, undefined);
  });
}

/**
 * Each source has its own body limit. Before a byte is read, the mask id is looked up (unknown: 404)
 * and a declared Content-Length over the limit answers 413; a body without one is counted as it
 * streams in. Fastify's limit for these routes is the largest any source may set.
 */
export function limitIngestBodies(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRoute', (route) => {
    if (route.url.startsWith(INGEST_PREFIX)) route.bodyLimit = MAX_SOURCE_BODY_LIMIT_BYTES;
  });
  fastify.addHook('preParsing', async (request, _reply, payload) => {
    if (!isIngestRoute(request)) return payload;
    const limit = await app.get(GetIngestBodyLimit).execute((request.params as { mask_id: string }).mask_id);
    if (Number(request.headers['content-length']) > limit) throw PayloadTooLargeError.of(limit);
    const limited = new ByteLimit(limit);
    // pipe() does not forward errors: an aborted request must still end the read.
    payload.on('error', (error) => limited.destroy(error));
    return payload.pipe(limited);
  });
}

/** Passes bytes through until more than `limit` have gone by, then fails with a 413. */
class ByteLimit extends Transform {
  private received = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.received += chunk.length;
    if (this.received > this.limit) return callback(PayloadTooLargeError.of(this.limit));
    callback(null, chunk);
  }
}
