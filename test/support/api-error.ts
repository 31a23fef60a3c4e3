import * as assert from 'node:assert/strict';
import { STATUS_CODES } from 'node:http';
import type { ApiResponse } from './api-client';

export interface ExpectedApiError {
  status: number;
  /** The field the error names; absent means the body must carry no `field`. */
  field?: string;
  message?: string | RegExp;
}

/**
 * Checks an error answer has the contract's shape, `{ status, error, message, field? }` and
 * nothing else, with `status` equal to the HTTP status and `error` its standard reason phrase.
 */
export function assertApiError(response: ApiResponse, expected: ExpectedApiError, context = ''): void {
  const where = `${context ? `${context}: ` : ''}got ${response.status} ${JSON.stringify(response.body)}`;
  assert.equal(response.status, expected.status, where);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json\b/, where);
  const body = response.body;
  assert.equal(typeof body, 'object', where);
  assert.deepEqual(
    Object.keys(body).sort(),
    expected.field === undefined ? ['error', 'message', 'status'] : ['error', 'field', 'message', 'status'],
    where,
  );
  assert.equal(body.status, response.status, where);
  assert.equal(body.error, STATUS_CODES[expected.status], where);
  assert.equal(body.field, expected.field, where);
  assert.equal(typeof body.message, 'string', where);
  assert.ok(body.message.length > 0, where);
  if (typeof expected.message === 'string') assert.equal(body.message, expected.message, where);
  else if (expected.message) assert.match(body.message, expected.message, where);
}
