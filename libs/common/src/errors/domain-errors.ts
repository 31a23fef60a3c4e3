/**
 * Errors a user can act on. Libraries throw these; the API's exception filter turns them
 * into `{ status, error, message, field? }`. Anything else reaching the filter is a bug (500).
 */
export abstract class DomainError extends Error {
  abstract readonly status: number;
  abstract readonly error: string;

  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidInputError extends DomainError {
  readonly status = 400;
  readonly error = 'Bad Request';
}

export class UnauthorizedError extends DomainError {
  readonly status = 401;
  readonly error = 'Unauthorized';
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
  readonly error = 'Forbidden';
}

export class NotFoundError extends DomainError {
  readonly status = 404;
  readonly error = 'Not Found';

  static of(resource: string, field?: string): NotFoundError {
    return new NotFoundError(`${resource} not found`, field);
  }
}

export class ConflictError extends DomainError {
  readonly status = 409;
  readonly error = 'Conflict';
}

/** A dependency the request needs (such as the queue) cannot be reached; trying again later may work. */
export class ServiceUnavailableError extends DomainError {
  readonly status = 503;
  readonly error = 'Service Unavailable';
}

/** For lookups where "gone" is an answer: null when not found, any other failure still thrown. */
export function nullIfNotFound(error: unknown): null {
  if (error instanceof NotFoundError) return null;
  throw error;
}
