import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ApiClient } from './support/api-client';
import { assertApiError } from './support/api-error';
import { createEndpoint, subscribe } from './support/fixtures';
import { TestCaravan, TestProject } from './support/test-caravan';

const BODY_LIMIT_BYTES = 2048;
const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';
const NOT_JSON_OBJECT = 'request body must be a JSON object';
const NUL_REFUSED = /NUL character/;

/**
 * One invalid request and the error it must get. In `path`, `{p}` is the project's base path,
 * `{endpoint}` and `{subscription}` are existing ids in it.
 */
interface InvalidRequest {
  what: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** Sent as is, with this content type, instead of `body` as JSON. */
  raw?: { text: string; contentType: string };
  /** Root-only routes are called with the root key, others with the project's key. */
  root?: boolean;
  status: number;
  field?: string;
  message?: string | RegExp;
}

const url = 'https://example.com/hook';

const CASES: InvalidRequest[] = [
  // projects
  {
    what: 'a project without a name',
    method: 'POST',
    path: '/api/v1/projects',
    body: {},
    root: true,
    status: 400,
    field: 'name',
  },
  {
    what: 'a project with an empty name',
    method: 'POST',
    path: '/api/v1/projects',
    body: { name: '' },
    root: true,
    status: 400,
    field: 'name',
  },
  {
    what: 'a project whose name is a number',
    method: 'POST',
    path: '/api/v1/projects',
    body: { name: 7 },
    root: true,
    status: 400,
    field: 'name',
  },
  {
    what: 'a project with an unknown field',
    method: 'POST',
    path: '/api/v1/projects',
    body: { name: 'x', colour: 'red' },
    root: true,
    status: 400,
    field: 'colour',
    message: 'unknown field "colour"',
  },
  {
    what: 'a project whose retry_count is negative',
    method: 'POST',
    path: '/api/v1/projects',
    body: { name: 'x', config: { retry: { retry_count: -1 } } },
    root: true,
    status: 400,
    field: 'config.retry.retry_count',
  },
  {
    what: 'a project whose retry_count is not an integer',
    method: 'POST',
    path: '/api/v1/projects',
    body: { name: 'x', config: { retry: { retry_count: 2.5 } } },
    root: true,
    status: 400,
    field: 'config.retry.retry_count',
  },
  {
    what: 'a project with an unknown field inside config.retry',
    method: 'POST',
    path: '/api/v1/projects',
    body: { name: 'x', config: { retry: { backoff: 'fast' } } },
    root: true,
    status: 400,
    field: 'config.retry.backoff',
  },
  {
    what: 'a project whose signature hash is md5',
    method: 'POST',
    path: '/api/v1/projects',
    body: { name: 'x', config: { signature: { hash: 'md5' } } },
    root: true,
    status: 400,
    field: 'config.signature.hash',
  },
  {
    what: 'a project whose config is a string',
    method: 'POST',
    path: '/api/v1/projects',
    body: { name: 'x', config: 'fast' },
    root: true,
    status: 400,
    field: 'config',
  },
  {
    what: 'a project patch with an unknown retry strategy',
    method: 'PATCH',
    path: '{p}',
    body: { config: { retry: { strategy: 'random' } } },
    root: true,
    status: 400,
    field: 'config.retry.strategy',
  },
  {
    what: 'a project patch with an empty name',
    method: 'PATCH',
    path: '{p}',
    body: { name: '' },
    root: true,
    status: 400,
    field: 'name',
  },

  // endpoints
  {
    what: 'an endpoint without a url',
    method: 'POST',
    path: '{p}/endpoints',
    body: {},
    status: 400,
    field: 'url',
    message: 'url must be an http(s) URL',
  },
  {
    what: 'an endpoint with an ftp:// url',
    method: 'POST',
    path: '{p}/endpoints',
    body: { url: 'ftp://example.com/hook' },
    status: 400,
    field: 'url',
    message: 'url must be an http(s) URL',
  },
  {
    what: 'an endpoint with a javascript: url',
    method: 'POST',
    path: '{p}/endpoints',
    body: { url: 'javascript:alert(1)' },
    status: 400,
    field: 'url',
    message: 'url must be an http(s) URL',
  },
  {
    what: 'an endpoint with a url without a scheme',
    method: 'POST',
    path: '{p}/endpoints',
    body: { url: 'example.com/hook' },
    status: 400,
    field: 'url',
    message: 'url must be an http(s) URL',
  },
  {
    what: 'an endpoint with an unknown field',
    method: 'POST',
    path: '{p}/endpoints',
    body: { url, colour: 'red' },
    status: 400,
    field: 'colour',
  },
  {
    what: 'an endpoint with http_timeout_seconds 0',
    method: 'POST',
    path: '{p}/endpoints',
    body: { url, http_timeout_seconds: 0 },
    status: 400,
    field: 'http_timeout_seconds',
  },
  {
    what: 'an endpoint with http_timeout_seconds 121',
    method: 'POST',
    path: '{p}/endpoints',
    body: { url, http_timeout_seconds: 121 },
    status: 400,
    field: 'http_timeout_seconds',
  },
  {
    what: 'an endpoint with http_timeout_seconds 1.5',
    method: 'POST',
    path: '{p}/endpoints',
    body: { url, http_timeout_seconds: 1.5 },
    status: 400,
    field: 'http_timeout_seconds',
  },
  {
    what: 'an endpoint with http_timeout_seconds as a string',
    method: 'POST',
    path: '{p}/endpoints',
    body: { url, http_timeout_seconds: '30' },
    status: 400,
    field: 'http_timeout_seconds',
  },
  {
    what: 'an endpoint with a bad support_email',
    method: 'POST',
    path: '{p}/endpoints',
    body: { url, support_email: 'not-an-email' },
    status: 400,
    field: 'support_email',
  },
  {
    what: 'an endpoint with a secret shorter than 16 characters',
    method: 'POST',
    path: '{p}/endpoints',
    body: { url, secret: 'short' },
    status: 400,
    field: 'secret',
  },
  {
    what: 'an endpoint whose retry override has interval_seconds 0',
    method: 'POST',
    path: '{p}/endpoints',
    body: { url, retry: { interval_seconds: 0 } },
    status: 400,
    field: 'retry.interval_seconds',
  },
  {
    what: 'an endpoint patch with an ftp:// url',
    method: 'PATCH',
    path: '{p}/endpoints/{endpoint}',
    body: { url: 'ftp://example.com/hook' },
    status: 400,
    field: 'url',
    message: 'url must be an http(s) URL',
  },
  {
    what: 'an endpoint patch with http_timeout_seconds 500',
    method: 'PATCH',
    path: '{p}/endpoints/{endpoint}',
    body: { http_timeout_seconds: 500 },
    status: 400,
    field: 'http_timeout_seconds',
  },

  // request bodies as a whole
  {
    what: 'malformed JSON',
    method: 'POST',
    path: '{p}/endpoints',
    raw: { text: '{"url": "https://example.com/hook",', contentType: 'application/json' },
    status: 400,
    message: /JSON/,
  },
  {
    what: 'an empty body sent as JSON',
    method: 'POST',
    path: '{p}/endpoints',
    raw: { text: '', contentType: 'application/json' },
    status: 400,
    message: /empty/,
  },
  {
    what: 'a text/plain body',
    method: 'POST',
    path: '{p}/endpoints',
    raw: { text: 'url=https://example.com/hook', contentType: 'text/plain' },
    status: 415,
    message: 'send the request body as application/json',
  },
  {
    what: 'a form-urlencoded body',
    method: 'POST',
    path: '{p}/endpoints',
    raw: { text: 'url=https%3A%2F%2Fexample.com%2Fhook', contentType: 'application/x-www-form-urlencoded' },
    status: 415,
    message: 'send the request body as application/json',
  },
  {
    what: 'an XML body',
    method: 'POST',
    path: '{p}/events',
    raw: { text: '<event type="x"/>', contentType: 'application/xml' },
    status: 415,
    message: 'send the request body as application/json',
  },
  {
    what: 'a JSON array body',
    method: 'POST',
    path: '{p}/endpoints',
    body: [{ url }],
    status: 400,
    message: NOT_JSON_OBJECT,
  },
  {
    what: 'a JSON number body',
    method: 'POST',
    path: '{p}/events',
    raw: { text: '42', contentType: 'application/json' },
    status: 400,
    message: NOT_JSON_OBJECT,
  },
  {
    what: 'a JSON string body',
    method: 'PATCH',
    path: '{p}/endpoints/{endpoint}',
    body: '"hello"',
    status: 400,
    message: NOT_JSON_OBJECT,
  },
  {
    what: `a 10 KB project body over a ${BODY_LIMIT_BYTES}-byte limit`,
    method: 'POST',
    path: '/api/v1/projects',
    body: { name: 'x'.repeat(10 * 1024) },
    root: true,
    status: 413,
    message: 'request body is larger than the configured limit (CARAVAN_BODY_LIMIT_BYTES)',
  },
  {
    what: `a 10 KB event over a ${BODY_LIMIT_BYTES}-byte limit`,
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'big', data: { blob: 'x'.repeat(10 * 1024) } },
    status: 413,
    message: 'request body is larger than the configured limit (CARAVAN_BODY_LIMIT_BYTES)',
  },

  // events
  {
    what: 'an event without data',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'invoice.paid' },
    status: 400,
    field: 'data',
  },
  {
    what: 'an event whose data is null',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'invoice.paid', data: null },
    status: 400,
    field: 'data',
  },
  {
    what: 'an event whose data is a string',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'invoice.paid', data: 'paid' },
    status: 400,
    field: 'data',
  },
  {
    what: 'an event without event_type',
    method: 'POST',
    path: '{p}/events',
    body: { data: {} },
    status: 400,
    field: 'event_type',
  },
  {
    what: 'an event_type with a space',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'invoice paid', data: {} },
    status: 400,
    field: 'event_type',
  },
  {
    what: 'an event_type with a slash',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'invoice/paid', data: {} },
    status: 400,
    field: 'event_type',
  },
  {
    what: 'an event_type of 201 characters',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'a'.repeat(201), data: {} },
    status: 400,
    field: 'event_type',
  },
  {
    what: 'an event with an unknown field',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'x', data: {}, priority: 1 },
    status: 400,
    field: 'priority',
  },
  {
    what: 'custom_headers overriding X-Caravan-Signature',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'x', data: {}, custom_headers: { 'X-Caravan-Signature': 'forged' } },
    status: 400,
    field: 'custom_headers.X-Caravan-Signature',
  },
  {
    what: 'custom_headers overriding x-caravan-event-id in lower case',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'x', data: {}, custom_headers: { 'x-caravan-event-id': 'forged' } },
    status: 400,
    field: 'custom_headers.x-caravan-event-id',
  },
  {
    what: 'custom_headers overriding Content-Type',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'x', data: {}, custom_headers: { 'Content-Type': 'text/html' } },
    status: 400,
    field: 'custom_headers.Content-Type',
  },
  {
    what: 'a custom header value with CR LF',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'x', data: {}, custom_headers: { 'X-Tenant': 'acme\r\nX-Injected: 1' } },
    status: 400,
    field: 'custom_headers.X-Tenant',
  },
  {
    what: 'a custom header value with a bare LF',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'x', data: {}, custom_headers: { 'X-Tenant': 'acme\nX-Injected: 1' } },
    status: 400,
    field: 'custom_headers.X-Tenant',
  },
  {
    what: 'a custom header name with a space',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'x', data: {}, custom_headers: { 'X Tenant': 'acme' } },
    status: 400,
    field: 'custom_headers.X Tenant',
  },
  {
    what: 'a custom header with a number value',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'x', data: {}, custom_headers: { 'X-Count': 3 } },
    status: 400,
    field: 'custom_headers.X-Count',
  },
  {
    what: 'endpoint_id and owner_id together',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'x', data: {}, endpoint_id: '{endpoint}', owner_id: 'acme' },
    status: 400,
    field: 'owner_id',
  },
  {
    what: 'an endpoint_id that is not a uuid',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'x', data: {}, endpoint_id: 'ep_123' },
    status: 400,
    field: 'endpoint_id',
  },
  {
    what: 'an unknown endpoint_id',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'x', data: {}, endpoint_id: UNKNOWN_ID },
    status: 404,
    field: 'endpoint_id',
    message: 'endpoint not found',
  },

  // subscriptions
  {
    what: 'a subscription without endpoint_id',
    method: 'POST',
    path: '{p}/subscriptions',
    body: { event_types: ['*'] },
    status: 400,
    field: 'endpoint_id',
  },
  {
    what: 'a subscription for an unknown endpoint',
    method: 'POST',
    path: '{p}/subscriptions',
    body: { endpoint_id: UNKNOWN_ID },
    status: 404,
    field: 'endpoint_id',
    message: 'endpoint not found',
  },
  {
    what: 'a subscription with empty event_types',
    method: 'POST',
    path: '{p}/subscriptions',
    body: { endpoint_id: '{endpoint}', event_types: [] },
    status: 400,
    field: 'event_types',
  },
  {
    what: 'a subscription with an event type containing spaces',
    method: 'POST',
    path: '{p}/subscriptions',
    body: { endpoint_id: '{endpoint}', event_types: ['invoice paid'] },
    status: 400,
    field: 'event_types',
  },
  {
    what: 'a subscription whose event_types is a string',
    method: 'POST',
    path: '{p}/subscriptions',
    body: { endpoint_id: '{endpoint}', event_types: 'invoice.*' },
    status: 400,
    field: 'event_types',
  },
  {
    what: 'a subscription patch with empty event_types',
    method: 'PATCH',
    path: '{p}/subscriptions/{subscription}',
    body: { event_types: [] },
    status: 400,
    field: 'event_types',
  },

  // lists
  { what: 'limit=0', method: 'GET', path: '{p}/endpoints?limit=0', status: 400, field: 'limit' },
  { what: 'limit=101', method: 'GET', path: '{p}/events?limit=101', status: 400, field: 'limit' },
  { what: 'limit=abc', method: 'GET', path: '{p}/deliveries?limit=abc', status: 400, field: 'limit' },
  { what: 'limit=1.5', method: 'GET', path: '{p}/subscriptions?limit=1.5', status: 400, field: 'limit' },
  {
    what: 'limit=0 on the project list',
    method: 'GET',
    path: '/api/v1/projects?limit=0',
    root: true,
    status: 400,
    field: 'limit',
  },
  {
    what: 'a cursor the API never returned',
    method: 'GET',
    path: '{p}/endpoints?cursor=not-a-cursor',
    status: 400,
    field: 'cursor',
    message: 'cursor is not a cursor this API returned',
  },
  {
    what: 'a base64 cursor that holds no id',
    method: 'GET',
    path: `{p}/events?cursor=${Buffer.from('hello').toString('base64url')}`,
    status: 400,
    field: 'cursor',
  },
  {
    what: 'a delivery status filter that is not a status',
    method: 'GET',
    path: '{p}/deliveries?status=delivered',
    status: 400,
    field: 'status',
  },
  {
    what: 'a delivery status list with one bad status',
    method: 'GET',
    path: '{p}/deliveries?status=success,lost',
    status: 400,
    field: 'status',
  },
  {
    what: 'a delivery endpoint_id filter that is not a uuid',
    method: 'GET',
    path: '{p}/deliveries?endpoint_id=abc',
    status: 400,
    field: 'endpoint_id',
  },
  {
    what: 'a delivery event_id filter that is not a uuid',
    method: 'GET',
    path: '{p}/deliveries?event_id=abc',
    status: 400,
    field: 'event_id',
  },
  {
    what: 'a created_after that is not a time',
    method: 'GET',
    path: '{p}/events?created_after=yesterday',
    status: 400,
    field: 'created_after',
  },
  {
    what: 'a created_before with month 13',
    method: 'GET',
    path: '{p}/events?created_before=2024-13-01T00:00:00Z',
    status: 400,
    field: 'created_before',
  },
  {
    what: 'an unknown query parameter',
    method: 'GET',
    path: '{p}/endpoints?colour=red',
    status: 400,
    field: 'colour',
  },

  // path ids
  {
    what: 'a malformed project_id',
    method: 'GET',
    path: '/api/v1/projects/not-a-uuid',
    root: true,
    status: 400,
    field: 'project_id',
  },
  {
    what: 'a malformed project_id on a nested route',
    method: 'GET',
    path: '/api/v1/projects/123/endpoints',
    status: 400,
    field: 'project_id',
  },
  {
    what: 'a malformed endpoint_id',
    method: 'GET',
    path: '{p}/endpoints/not-a-uuid',
    status: 400,
    field: 'endpoint_id',
  },
  {
    what: 'a malformed endpoint_id on patch',
    method: 'PATCH',
    path: '{p}/endpoints/123',
    body: { name: 'x' },
    status: 400,
    field: 'endpoint_id',
  },
  {
    what: 'a malformed endpoint_id on pause',
    method: 'POST',
    path: '{p}/endpoints/123/pause',
    status: 400,
    field: 'endpoint_id',
  },
  {
    what: 'a malformed endpoint_id on secret',
    method: 'GET',
    path: '{p}/endpoints/123/secret',
    status: 400,
    field: 'endpoint_id',
  },
  {
    what: 'a malformed subscription_id',
    method: 'DELETE',
    path: '{p}/subscriptions/abc',
    status: 400,
    field: 'subscription_id',
  },
  { what: 'a malformed event_id', method: 'GET', path: '{p}/events/abc', status: 400, field: 'event_id' },
  {
    what: 'a malformed delivery_id',
    method: 'GET',
    path: '{p}/deliveries/abc',
    status: 400,
    field: 'delivery_id',
  },
  {
    what: 'a malformed delivery_id on attempts',
    method: 'GET',
    path: '{p}/deliveries/abc/attempts',
    status: 400,
    field: 'delivery_id',
  },
  {
    what: 'a malformed key_id',
    method: 'DELETE',
    path: '{p}/api-keys/abc',
    root: true,
    status: 400,
    field: 'key_id',
  },

  // Postgres cannot store U+0000 in text: refused as input, never a 500.
  {
    what: 'a project name with a NUL character',
    method: 'POST',
    path: '/api/v1/projects',
    body: { name: 'a\u0000b' },
    root: true,
    status: 400,
    message: NUL_REFUSED,
  },
  {
    what: 'an endpoint description with a NUL character',
    method: 'POST',
    path: '{p}/endpoints',
    body: { url, description: 'a\u0000b' },
    status: 400,
    message: NUL_REFUSED,
  },
  {
    what: 'an endpoint secret with a NUL character',
    method: 'POST',
    path: '{p}/endpoints',
    body: { url, secret: 'secret-with-\u0000-inside' },
    status: 400,
    field: 'secret',
  },
  {
    what: 'an event owner_id with a NUL character',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'x', data: {}, owner_id: 'acme\u0000' },
    status: 400,
    message: NUL_REFUSED,
  },
  {
    what: 'an idempotency_key with a NUL character',
    method: 'POST',
    path: '{p}/events',
    body: { event_type: 'x', data: {}, idempotency_key: 'k\u0000' },
    status: 400,
    message: NUL_REFUSED,
  },
  {
    what: 'an owner_id filter with a NUL character',
    method: 'GET',
    path: '{p}/endpoints?owner_id=%00',
    status: 400,
    message: NUL_REFUSED,
  },
  {
    what: 'an event_type filter with a NUL character',
    method: 'GET',
    path: '{p}/events?event_type=a%00',
    status: 400,
    field: 'event_type',
  },
];

const TABLES = ['projects', 'api_keys', 'endpoints', 'subscriptions', 'events', 'event_deliveries'];

describe('validating requests (every invalid input gets a 4xx JSON error naming its field, never a 500)', () => {
  let caravan: TestCaravan;
  let root: ApiClient;
  let project: TestProject;
  let endpointId: string;
  let subscriptionId: string;

  async function rowCounts(): Promise<Record<string, number>> {
    const counts: Record<string, number> = {};
    for (const table of TABLES) {
      counts[table] = (await caravan.db.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
    }
    return counts;
  }

  function resolve(text: string): string {
    return text
      .replaceAll('{p}', `/api/v1/projects/${project.id}`)
      .replaceAll('{endpoint}', endpointId)
      .replaceAll('{subscription}', subscriptionId);
  }

  before(async () => {
    caravan = await TestCaravan.create();
    root = await caravan.startApi({ CARAVAN_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES) });
    project = await caravan.createProject();
    endpointId = (await createEndpoint(project.client, project.id, { url })).id;
    subscriptionId = (await subscribe(project.client, project.id, endpointId, ['invoice.*'])).id;
  });

  after(async () => {
    await caravan?.destroy();
  });

  for (const request of CASES) {
    const answer = `${request.status}${request.field ? ` naming ${request.field}` : ''}`;
    it(`answers ${answer} to ${request.what}, and stores nothing`, async () => {
      const client = request.root ? root : project.client;
      const path = resolve(request.path);
      const counts = await rowCounts();
      const response = request.raw
        ? await client.request(request.method, path, request.raw.text, {
            'content-type': request.raw.contentType,
          })
        : await client.request(
            request.method,
            path,
            request.body === undefined ? undefined : JSON.parse(resolve(JSON.stringify(request.body))),
          );
      assertApiError(
        response,
        { status: request.status, field: request.field, message: request.message },
        `${request.method} ${path}`,
      );
      assert.deepEqual(await rowCounts(), counts);
    });
  }

  it('still accepts valid endpoint, event and list requests after all the invalid ones', async () => {
    const endpoint = await project.client.post(`/api/v1/projects/${project.id}/endpoints`, {
      url,
      http_timeout_seconds: 120,
    });
    assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
    const event = await project.client.post(`/api/v1/projects/${project.id}/events`, {
      event_type: 'invoice.paid',
      data: { nul_in_data_is_fine: 'a\u0000b' },
      custom_headers: { 'X-Tenant': 'acme' },
    });
    assert.equal(event.status, 202, JSON.stringify(event.body));
    assert.deepEqual(event.body.data, { nul_in_data_is_fine: 'a\u0000b' });
    const page = await project.client.get(`/api/v1/projects/${project.id}/endpoints?limit=100&cursor=`);
    assert.equal(page.status, 200);
  });
});
