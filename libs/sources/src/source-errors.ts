import { DomainError } from '@caravan/common';

/** A body over the source's limit (or CARAVAN_BODY_LIMIT_BYTES). */
export class PayloadTooLargeError extends DomainError {
  readonly status = 413;
  readonly error = 'Payload Too Large';
  /** Read by Fastify when this is thrown while the body is being read. */
  readonly statusCode = 413;

  static of(limitBytes: number): PayloadTooLargeError {
    return new PayloadTooLargeError(`request body is larger than this source accepts (${limitBytes} bytes)`);
  }
}
