import { HttpException } from '@nestjs/common';
import { DomainError } from '@caravan/common';
import { STATUS_CODES } from 'node:http';

export interface ErrorBody {
  status: number;
  error: string;
  message: string;
  field?: string;
}

/** Fastify's own errors (bad JSON, body too large, wrong content type) carry a 4xx statusCode. */
interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const STATUS_MESSAGES: Record<number, string> = {
  413: 'request body is larger than the configured limit (CARAVAN_BODY_LIMIT_BYTES)',
  415: 'send the request body as application/json',
};

/**
 * Postgres cannot store U+0000 in text (22021) or jsonb (22P05). Only a caller's string can carry
 * one, so the failed statement is the caller's bad input, not a bug.
 */
const POSTGRES_REFUSED_TEXT = new Set(['22021', '22P05']);

/** The one mapping from anything thrown to the API's error shape; 500 means a bug. */
export function toErrorBody(error: unknown): ErrorBody {
  const body = describeError(error);
  // Fastify's own 413 and 415 say little; a domain error (a source's own body limit) already says what to do.
  return STATUS_MESSAGES[body.status] && !(error instanceof DomainError) ? { ...body, message: STATUS_MESSAGES[body.status] } : body;
}

function describeError(error: unknown): ErrorBody {
  if (error instanceof DomainError) {
    return withField({ status: error.status, error: error.error, message: error.message }, error.field);
  }
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse() as string | { message?: string | string[]; field?: string };
    const message =
      typeof response === 'string' ? response : [response.message ?? error.message].flat().join('; ');
    return withField({ status, error: STATUS_CODES[status] ?? 'Error', message }, typeof response === 'object' ? response.field : undefined);
  }
  const driverError = (error as { driverError?: { code?: string; detail?: string } })?.driverError;
  if (POSTGRES_REFUSED_TEXT.has(driverError?.code ?? '')) {
    return { status: 400, error: 'Bad Request', message: 'text fields cannot contain the NUL character (\\u0000)' };
  }
  // A row this request refers to was deleted meanwhile: a project deleted while another process
  // still had its key cached (for up to a few seconds), or a concurrent delete.
  if (driverError?.code === '23503') {
    return /table "projects"/.test(driverError.detail ?? '')
      ? { status: 404, error: 'Not Found', message: 'project not found', field: 'project_id' }
      : { status: 409, error: 'Conflict', message: 'a resource this request refers to was deleted meanwhile' };
  }
  const framework = error as FrameworkError;
  if (framework?.statusCode && framework.statusCode >= 400 && framework.statusCode < 500) {
    return { status: framework.statusCode, error: STATUS_CODES[framework.statusCode] ?? 'Error', message: frameworkMessage(framework) };
  }
  return { status: 500, error: 'Internal Server Error', message: 'unexpected error; it has been logged' };
}

function frameworkMessage(error: FrameworkError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return `request body is not valid JSON: ${error.message ?? ''}`.trim();
    default:
      return error.message ?? 'bad request';
  }
}

function withField(body: ErrorBody, field: string | undefined): ErrorBody {
  return field ? { ...body, field } : body;
}
