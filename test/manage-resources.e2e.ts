import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ApiClient, ApiResponse } from './support/api-client';
import { assertApiError } from './support/api-error';
import { createEndpoint, FAST_RETRY, sendEvent, settledDeliveries, subscribe } from './support/fixtures';
import { Receiver } from './support/receiver';
import { EMBEDDED, TestCaravan, TestProject } from './support/test-caravan';
import { waitFor } from './support/wait-for';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const DEFAULT_SIGNATURE = {
  scheme: 'simple',
  header: 'X-Caravan-Signature',
  hash: 'sha256',
  encoding: 'hex',
};
const DEFAULT_RETRY = {
  strategy: 'exponential',
  interval_seconds: 10,
  retry_count: 10,
  max_interval_seconds: 3600,
  stop_on_4xx: false,
};
const DEFAULT_CIRCUIT_BREAKER = {
  sample_window_seconds: 30,
  error_timeout_seconds: 30,
  failure_threshold: 70,
  success_threshold: 5,
  minimum_request_count: 10,
  consecutive_failure_threshold: 10,
};

function pick(source: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, source[key]]));
}

describe('managing resources (the CRUD surface answers as the contract says)', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  let root: ApiClient;
  let project: TestProject;
  let api: ApiClient;
  let base: string;

  /** Every page of a list, following next_cursor, with the ids of each page. */
  async function pageThrough(client: ApiClient, path: string, limit: number): Promise<string[][]> {
    const pages: string[][] = [];
    let cursor: string | null = null;
    for (;;) {
      const after: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const response: ApiResponse<{ data: { id: string }[]; next_cursor: string | null }> = await client.get(
        `${path}${path.includes('?') ? '&' : '?'}limit=${limit}${after}`,
      );
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.deepEqual(Object.keys(response.body).sort(), ['data', 'next_cursor']);
      pages.push(response.body.data.map((item) => item.id));
      cursor = response.body.next_cursor;
      if (cursor === null) return pages;
      assert.equal(typeof cursor, 'string');
      assert.ok(pages.length <= 10, 'pagination ends');
    }
  }

  async function listIds(path: string, client = api): Promise<string[]> {
    const response = await client.get(path);
    assert.equal(response.status, 200, `${path}: ${JSON.stringify(response.body)}`);
    assert.equal(response.body.next_cursor, null, path);
    return response.body.data.map((item: any) => item.id);
  }

  before(async () => {
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    receiver.answer((request) =>
      request.path.startsWith('/fail') ? { status: 500, body: 'no' } : { status: 200, body: 'ok' },
    );
    root = await caravan.startApi();
    await caravan.startAgent();
    project = await caravan.createProject({ retry: FAST_RETRY });
    api = project.client;
    base = `/api/v1/projects/${project.id}`;
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
  });

  describe('projects', () => {
    it('creates a project from a name alone with 201, filling in every config default', async () => {
      const created = await root.post('/api/v1/projects', { name: 'Billing webhooks' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const body = created.body;
      assert.deepEqual(Object.keys(body).sort(), [
        'config',
        'created_at',
        'id',
        'name',
        'type',
        'updated_at',
      ]);
      assert.match(body.id, UUID);
      assert.equal(body.name, 'Billing webhooks');
      assert.equal(body.type, 'outgoing');
      assert.deepEqual(body.config.signature, DEFAULT_SIGNATURE);
      assert.deepEqual(body.config.retry, DEFAULT_RETRY);
      assert.deepEqual(body.config.circuit_breaker, DEFAULT_CIRCUIT_BREAKER);
      assert.equal(body.config.rate_limit, null);
      assert.equal(body.config.disable_endpoint_on_failure, true);
      assert.equal(body.config.idempotency_window_seconds, 86400);
      assert.match(body.created_at, RFC3339_UTC);
      assert.match(body.updated_at, RFC3339_UTC);

      const fetched = await root.get(`/api/v1/projects/${body.id}`);
      assert.equal(fetched.status, 200);
      assert.deepEqual(fetched.body, body);
    });

    it('creates an incoming project and keeps the config fields it was given', async () => {
      const created = await root.post('/api/v1/projects', {
        name: 'Inbound',
        type: 'incoming',
        config: {
          signature: { hash: 'sha512', encoding: 'base64' },
          retry: { strategy: 'linear', retry_count: 3 },
        },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      assert.equal(created.body.type, 'incoming');
      assert.deepEqual(created.body.config.signature, {
        ...DEFAULT_SIGNATURE,
        hash: 'sha512',
        encoding: 'base64',
      });
      assert.deepEqual(created.body.config.retry, { ...DEFAULT_RETRY, strategy: 'linear', retry_count: 3 });
    });

    it('lists projects newest first, each as GET returns it', async () => {
      const first = await root.post('/api/v1/projects', { name: 'older' });
      const second = await root.post('/api/v1/projects', { name: 'newer' });
      const list = await root.get('/api/v1/projects?limit=2');
      assert.equal(list.status, 200);
      assert.deepEqual(list.body.data, [second.body, first.body]);
      assert.equal(typeof list.body.next_cursor, 'string', 'more projects exist than this page');
    });

    it('patches the name and merges a partial config, keeping every other config field', async () => {
      const created = (await root.post('/api/v1/projects', { name: 'to patch' })).body;
      const renamed = await root.patch(`/api/v1/projects/${created.id}`, {
        name: 'patched',
        config: { retry: { retry_count: 3 } },
      });
      assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
      assert.equal(renamed.body.name, 'patched');
      assert.deepEqual(renamed.body.config.retry, { ...DEFAULT_RETRY, retry_count: 3 });
      assert.deepEqual(renamed.body.config.signature, DEFAULT_SIGNATURE);
      assert.equal(renamed.body.created_at, created.created_at);
      assert.ok(Date.parse(renamed.body.updated_at) >= Date.parse(created.updated_at));

      const resigned = await root.patch(`/api/v1/projects/${created.id}`, {
        config: { signature: { encoding: 'base64' } },
      });
      assert.equal(resigned.status, 200);
      assert.equal(resigned.body.name, 'patched', 'a patch without name keeps it');
      assert.deepEqual(resigned.body.config.signature, { ...DEFAULT_SIGNATURE, encoding: 'base64' });
      assert.deepEqual(
        resigned.body.config.retry,
        { ...DEFAULT_RETRY, retry_count: 3 },
        'the earlier retry change stays',
      );

      assert.deepEqual((await root.get(`/api/v1/projects/${created.id}`)).body, resigned.body);
    });

    it('deletes a project with 204, after which it answers 404 and its keys and endpoints are gone', async () => {
      const doomed = await caravan.createProject();
      await createEndpoint(doomed.client, doomed.id, { url: receiver.url('/doomed') });
      const deleted = await root.delete(`/api/v1/projects/${doomed.id}`);
      assert.equal(deleted.status, 204);
      assert.equal(deleted.body, undefined);

      assertApiError(await root.get(`/api/v1/projects/${doomed.id}`), {
        status: 404,
        field: 'project_id',
        message: 'project not found',
      });
      assertApiError(await root.get(`/api/v1/projects/${doomed.id}/endpoints`), {
        status: 404,
        field: 'project_id',
        message: 'project not found',
      });
      assertApiError(await root.delete(`/api/v1/projects/${doomed.id}`), {
        status: 404,
        field: 'project_id',
        message: 'project not found',
      });
      // Its key was deleted with it; the api may still know the key for its few-second auth cache,
      // so the answer is 401 (key unknown) or 404 (project gone), never the project.
      const withOldKey = await doomed.client.get(`/api/v1/projects/${doomed.id}`);
      assert.ok([401, 404].includes(withOldKey.status), JSON.stringify(withOldKey.body));
      for (const table of ['api_keys', 'endpoints']) {
        const { rows } = await caravan.db.query(
          `SELECT count(*)::int AS n FROM ${table} WHERE project_id = $1`,
          [doomed.id],
        );
        assert.equal(rows[0].n, 0, `its ${table} went with it`);
      }
    });
  });

  describe('API keys', () => {
    it('creates a key with 201 and shows it once as cv_<prefix>_<secret>; lists never show it', async () => {
      const created = await root.post(`${base}/api-keys`, { name: 'billing-service' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const key = created.body;
      assert.deepEqual(Object.keys(key).sort(), [
        'created_at',
        'id',
        'key',
        'name',
        'prefix',
        'project_id',
        'revoked_at',
      ]);
      assert.match(key.id, UUID);
      assert.match(key.prefix, /^[a-z0-9]{8}$/);
      assert.match(key.key, new RegExp(`^cv_${key.prefix}_[A-Za-z0-9_-]{43}$`));
      assert.equal(key.name, 'billing-service');
      assert.equal(key.project_id, project.id);
      assert.equal(key.revoked_at, null);
      assert.match(key.created_at, RFC3339_UTC);

      const works = await root.withKey(key.key).get(base);
      assert.equal(works.status, 200, 'the new key reaches its project');

      const list = await root.get(`${base}/api-keys?limit=100`);
      assert.equal(list.status, 200);
      const listed = list.body.data.find((k: any) => k.id === key.id);
      const withoutKey = { ...key };
      delete withoutKey.key;
      assert.deepEqual(listed, withoutKey);
      for (const item of list.body.data) assert.ok(!('key' in item), 'no listed key carries the key');
      assert.ok(!JSON.stringify(list.body).includes(key.key), 'the key appears nowhere in the list');
    });
  });

  describe('endpoints', () => {
    it('creates an endpoint with 201 and a generated secret that only GET .../secret reveals', async () => {
      const created = await api.post(`${base}/endpoints`, {
        url: receiver.url('/crud'),
        name: 'Billing receiver',
        description: 'gets invoices',
        owner_id: 'acme',
        http_timeout_seconds: 15,
        support_email: 'ops@example.com',
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const endpoint = created.body;
      assert.match(endpoint.id, UUID);
      assert.deepEqual(
        pick(endpoint, [
          'project_id',
          'name',
          'url',
          'description',
          'owner_id',
          'status',
          'http_timeout_seconds',
          'support_email',
          'retry',
        ]),
        {
          project_id: project.id,
          name: 'Billing receiver',
          url: receiver.url('/crud'),
          description: 'gets invoices',
          owner_id: 'acme',
          status: 'active',
          http_timeout_seconds: 15,
          support_email: 'ops@example.com',
          retry: null,
        },
      );
      assert.match(endpoint.created_at, RFC3339_UTC);

      const secret = await api.get(`${base}/endpoints/${endpoint.id}/secret`);
      assert.equal(secret.status, 200);
      assert.deepEqual(Object.keys(secret.body).sort(), ['expires_at', 'secret']);
      assert.match(secret.body.secret, /^whsec_[A-Za-z0-9+/]{43}=$/, 'whsec_ and 32 random bytes, base64');
      assert.equal(secret.body.expires_at, null);

      const fetched = await api.get(`${base}/endpoints/${endpoint.id}`);
      assert.equal(fetched.status, 200);
      assert.deepEqual(fetched.body, endpoint);
      const list = await api.get(`${base}/endpoints?limit=100`);
      assert.deepEqual(
        list.body.data.find((e: any) => e.id === endpoint.id),
        endpoint,
      );
      for (const body of [created.body, fetched.body, ...list.body.data]) {
        assert.ok(!('secret' in body) && !('secrets' in body), `no secret field in ${JSON.stringify(body)}`);
      }
      for (const text of [
        JSON.stringify(created.body),
        JSON.stringify(fetched.body),
        JSON.stringify(list.body),
      ]) {
        assert.ok(!text.includes(secret.body.secret), 'the secret value appears in no endpoint answer');
      }
    });

    it('keeps a secret given on create, and names an endpoint after its url by default', async () => {
      const endpoint = await createEndpoint(api, project.id, {
        url: receiver.url('/given'),
        secret: 'a-secret-of-my-choosing',
      });
      assert.equal(endpoint.name, receiver.url('/given'));
      assert.equal(endpoint.http_timeout_seconds, 30);
      const secret = await api.get(`${base}/endpoints/${endpoint.id}/secret`);
      assert.deepEqual(secret.body, { secret: 'a-secret-of-my-choosing', expires_at: null });
    });

    it('patches only the fields given, and null clears owner_id, support_email and retry', async () => {
      const endpoint = await createEndpoint(api, project.id, {
        url: receiver.url('/before'),
        owner_id: 'acme',
        support_email: 'ops@example.com',
        description: 'kept',
      });
      const patched = await api.patch(`${base}/endpoints/${endpoint.id}`, {
        url: receiver.url('/after'),
        name: 'renamed',
        http_timeout_seconds: 60,
        retry: { retry_count: 2 },
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.deepEqual(patched.body, {
        ...endpoint,
        url: receiver.url('/after'),
        name: 'renamed',
        http_timeout_seconds: 60,
        retry: { retry_count: 2 },
        updated_at: patched.body.updated_at,
      });
      assert.ok(Date.parse(patched.body.updated_at) >= Date.parse(endpoint.updated_at));

      const merged = await api.patch(`${base}/endpoints/${endpoint.id}`, { retry: { interval_seconds: 5 } });
      assert.deepEqual(
        merged.body.retry,
        { retry_count: 2, interval_seconds: 5 },
        'a partial retry merges into the override',
      );

      const cleared = await api.patch(`${base}/endpoints/${endpoint.id}`, {
        owner_id: null,
        support_email: null,
        retry: null,
      });
      assert.equal(cleared.status, 200, JSON.stringify(cleared.body));
      assert.equal(cleared.body.owner_id, null);
      assert.equal(cleared.body.support_email, null);
      assert.equal(cleared.body.retry, null);
      assert.equal(cleared.body.description, 'kept');
      assert.deepEqual((await api.get(`${base}/endpoints/${endpoint.id}`)).body, cleared.body);
    });

    it('deletes an endpoint with 204, after which it and its subscriptions answer 404', async () => {
      const endpoint = await createEndpoint(api, project.id, { url: receiver.url('/deleted') });
      const subscription = await subscribe(api, project.id, endpoint.id, ['*']);
      const deleted = await api.delete(`${base}/endpoints/${endpoint.id}`);
      assert.equal(deleted.status, 204);
      assert.equal(deleted.body, undefined);
      const gone = { status: 404, field: 'endpoint_id', message: 'endpoint not found' };
      assertApiError(await api.get(`${base}/endpoints/${endpoint.id}`), gone);
      assertApiError(await api.get(`${base}/endpoints/${endpoint.id}/secret`), gone);
      assertApiError(await api.delete(`${base}/endpoints/${endpoint.id}`), gone);
      assertApiError(await api.get(`${base}/subscriptions/${subscription.id}`), {
        status: 404,
        field: 'subscription_id',
        message: 'subscription not found',
      });
      assert.ok(!(await listIds(`${base}/endpoints?limit=100`)).includes(endpoint.id));
    });

    it('pauses and activates an endpoint, and GET shows each status', async () => {
      const endpoint = await createEndpoint(api, project.id, { url: receiver.url('/toggle') });
      const paused = await api.post(`${base}/endpoints/${endpoint.id}/pause`);
      assert.equal(paused.status, 200);
      assert.equal(paused.body.status, 'paused');
      assert.equal((await api.get(`${base}/endpoints/${endpoint.id}`)).body.status, 'paused');
      const pausedAgain = await api.post(`${base}/endpoints/${endpoint.id}/pause`);
      assert.equal(pausedAgain.status, 200, 'pausing twice is harmless');
      assert.equal(pausedAgain.body.status, 'paused');

      const activated = await api.post(`${base}/endpoints/${endpoint.id}/activate`);
      assert.equal(activated.status, 200);
      assert.equal(activated.body.status, 'active');
      assert.deepEqual((await api.get(`${base}/endpoints/${endpoint.id}`)).body, activated.body);
    });

    it('pages through 25 endpoints 10 at a time: 10, 10, 5, newest first, each exactly once', async () => {
      const paged = await caravan.createProject();
      const created: string[] = [];
      for (let i = 0; i < 25; i++)
        created.push((await createEndpoint(paged.client, paged.id, { url: receiver.url(`/page/${i}`) })).id);

      const pages = await pageThrough(paged.client, `/api/v1/projects/${paged.id}/endpoints`, 10);
      assert.deepEqual(
        pages.map((page) => page.length),
        [10, 10, 5],
      );
      const seen = pages.flat();
      assert.equal(new Set(seen).size, 25, 'no duplicates');
      assert.deepEqual(seen, [...created].reverse(), 'newest first, all 25 seen');

      const firstPage = await paged.client.get(`/api/v1/projects/${paged.id}/endpoints`);
      assert.equal(firstPage.body.data.length, 20, 'the default page size is 20');
      assert.equal(typeof firstPage.body.next_cursor, 'string');
      const exact = await pageThrough(paged.client, `/api/v1/projects/${paged.id}/endpoints`, 25);
      assert.deepEqual(
        exact.map((page) => page.length),
        [25],
        'a page that holds the rest has next_cursor null',
      );
    });
  });

  describe('subscriptions', () => {
    it("creates a subscription with event_types ['*'] by default, then patches and deletes it", async () => {
      const endpoint = await createEndpoint(api, project.id, { url: receiver.url('/subscribed') });
      const created = await api.post(`${base}/subscriptions`, { endpoint_id: endpoint.id });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const subscription = created.body;
      assert.match(subscription.id, UUID);
      assert.deepEqual(pick(subscription, ['project_id', 'endpoint_id', 'event_types']), {
        project_id: project.id,
        endpoint_id: endpoint.id,
        event_types: ['*'],
      });
      assert.equal(typeof subscription.name, 'string');
      assert.match(subscription.created_at, RFC3339_UTC);
      assert.deepEqual((await api.get(`${base}/subscriptions/${subscription.id}`)).body, subscription);
      assert.deepEqual(await listIds(`${base}/subscriptions?endpoint_id=${endpoint.id}`), [subscription.id]);

      const patched = await api.patch(`${base}/subscriptions/${subscription.id}`, {
        name: 'invoices only',
        event_types: ['invoice.*', 'user.created'],
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.deepEqual(patched.body, {
        ...subscription,
        name: 'invoices only',
        event_types: ['invoice.*', 'user.created'],
        updated_at: patched.body.updated_at,
      });
      assert.deepEqual((await api.get(`${base}/subscriptions/${subscription.id}`)).body, patched.body);

      const deleted = await api.delete(`${base}/subscriptions/${subscription.id}`);
      assert.equal(deleted.status, 204);
      assert.equal(deleted.body, undefined);
      const gone = { status: 404, field: 'subscription_id', message: 'subscription not found' };
      assertApiError(await api.get(`${base}/subscriptions/${subscription.id}`), gone);
      assertApiError(await api.delete(`${base}/subscriptions/${subscription.id}`), gone);
      assert.deepEqual(await listIds(`${base}/subscriptions?endpoint_id=${endpoint.id}`), []);
      assert.equal((await api.get(`${base}/endpoints/${endpoint.id}`)).status, 200, 'the endpoint stays');
    });
  });

  describe('events and deliveries', () => {
    it('filters events by event_type and by created_after / created_before', async () => {
      const events = await caravan.createProject();
      const path = `/api/v1/projects/${events.id}/events`;
      const sent: any[] = [];
      for (const type of ['order.created', 'order.shipped', 'order.created']) {
        if (sent.length) {
          const previous = Date.parse(sent[sent.length - 1].created_at);
          await waitFor('the clock to move past the previous event', () => Date.now() > previous + 10);
        }
        sent.push(await sendEvent(events.client, events.id, { event_type: type, data: { n: sent.length } }));
      }
      const [first, second, third] = sent;
      const ids = async (query: string) => {
        const response = await events.client.get(`${path}?${query}`);
        assert.equal(response.status, 200, `${query}: ${JSON.stringify(response.body)}`);
        return response.body.data.map((event: any) => event.id);
      };
      const at = (event: any) => encodeURIComponent(event.created_at);

      assert.deepEqual(await ids('limit=100'), [third.id, second.id, first.id]);
      assert.deepEqual(await ids('event_type=order.created'), [third.id, first.id]);
      assert.deepEqual(await ids('event_type=order.shipped'), [second.id]);
      assert.deepEqual(await ids('event_type=order.cancelled'), []);
      assert.deepEqual(
        await ids(`created_after=${at(second)}`),
        [third.id, second.id],
        'created_after is inclusive',
      );
      assert.deepEqual(await ids(`created_before=${at(second)}`), [first.id], 'created_before is exclusive');
      assert.deepEqual(await ids(`created_after=${at(second)}&created_before=${at(third)}`), [second.id]);
      assert.deepEqual(await ids(`event_type=order.created&created_after=${at(second)}`), [third.id]);

      const fetched = await events.client.get(`${path}/${second.id}`);
      assert.equal(fetched.status, 200);
      assert.deepEqual(pick(fetched.body, ['id', 'project_id', 'event_type', 'data', 'created_at']), {
        id: second.id,
        project_id: events.id,
        event_type: 'order.shipped',
        data: { n: 1 },
        created_at: second.created_at,
      });
    });

    it('filters deliveries by status, endpoint_id and event_id', async () => {
      const shipping = await caravan.createProject({ retry: FAST_RETRY });
      const client = shipping.client;
      const ok = await createEndpoint(client, shipping.id, { url: receiver.url('/ok') });
      const failing = await createEndpoint(client, shipping.id, {
        url: receiver.url('/fail'),
        retry: { retry_count: 0 },
      });
      await subscribe(client, shipping.id, ok.id, ['shipment.*']);
      await subscribe(client, shipping.id, failing.id, ['shipment.*']);
      const broadcast = await sendEvent(client, shipping.id, {
        event_type: 'shipment.sent',
        data: { to: 'both' },
      });
      const direct = await sendEvent(client, shipping.id, {
        event_type: 'shipment.sent',
        data: { to: 'ok' },
        endpoint_id: ok.id,
      });
      const fanned = await settledDeliveries(client, shipping.id, broadcast.id);
      const [single] = await settledDeliveries(client, shipping.id, direct.id);
      const toOk = fanned.find((d) => d.endpoint_id === ok.id);
      const toFailing = fanned.find((d) => d.endpoint_id === failing.id);
      assert.equal(toOk.status, 'success');
      assert.equal(toFailing.status, 'failure');
      assert.equal(single.status, 'success');
      const newestFirst = (...ids: string[]) => [...ids].sort().reverse();

      const deliveries = `/api/v1/projects/${shipping.id}/deliveries`;
      const ids = (query: string) => listIds(`${deliveries}?limit=100&${query}`, client);
      assert.deepEqual(await ids(''), newestFirst(toOk.id, toFailing.id, single.id));
      assert.deepEqual(await ids(`event_id=${broadcast.id}`), newestFirst(toOk.id, toFailing.id));
      assert.deepEqual(await ids(`event_id=${direct.id}`), [single.id]);
      assert.deepEqual(await ids(`endpoint_id=${ok.id}`), newestFirst(toOk.id, single.id));
      assert.deepEqual(await ids(`endpoint_id=${failing.id}`), [toFailing.id]);
      assert.deepEqual(await ids(`endpoint_id=${ok.id}&event_id=${broadcast.id}`), [toOk.id]);
      assert.deepEqual(await ids(`endpoint_id=${failing.id}&status=success`), []);
      assert.deepEqual(await ids('status=success'), newestFirst(toOk.id, single.id));
      assert.deepEqual(await ids('status=failure'), [toFailing.id]);
      assert.deepEqual(await ids('status=success,failure'), newestFirst(toOk.id, toFailing.id, single.id));
      assert.deepEqual(
        await ids('status=success&status=failure'),
        newestFirst(toOk.id, toFailing.id, single.id),
      );
      assert.deepEqual(await ids('status=retry,scheduled'), []);

      const detail = await client.get(`${deliveries}/${toFailing.id}`);
      assert.equal(detail.status, 200);
      assert.deepEqual(
        pick(detail.body, ['id', 'event_id', 'endpoint_id', 'status', 'attempt_count', 'last_status_code']),
        {
          id: toFailing.id,
          event_id: broadcast.id,
          endpoint_id: failing.id,
          status: 'failure',
          attempt_count: 1,
          last_status_code: 500,
        },
      );
      const attempts = await client.get(`${deliveries}/${toFailing.id}/attempts`);
      assert.equal(attempts.status, 200);
      assert.deepEqual(attempts.body, { data: detail.body.attempts });
      assert.equal(attempts.body.data.length, 1);
      assert.equal(attempts.body.data[0].response.status_code, 500);
    });
  });

  describe('operations', () => {
    it('answers /health/live and /health/ready with 200 and postgres and redis (embedded: the queue) up, without a key', async () => {
      const anonymous = new ApiClient(root.baseUrl);
      const live = await anonymous.get('/health/live');
      assert.equal(live.status, 200, JSON.stringify(live.body));
      assert.equal(live.body.status, 'ok');
      const ready = await anonymous.get('/health/ready');
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.equal(ready.body.status, 'ok');
      assert.equal(ready.body.details.postgres.status, 'up');
      assert.equal(ready.body.details[EMBEDDED ? 'queue' : 'redis'].status, 'up');
    });

    it('serves an OpenAPI 3 document at /docs/openapi.json listing every route, and Swagger UI at /docs', async () => {
      const anonymous = new ApiClient(root.baseUrl);
      const document = await anonymous.get('/docs/openapi.json');
      assert.equal(document.status, 200);
      assert.match(document.body.openapi, /^3\./);
      const p = '/api/v1/projects/{project_id}';
      const expected: Record<string, string[]> = {
        '/api/v1/projects': ['get', 'post'],
        [p]: ['delete', 'get', 'patch'],
        [`${p}/api-keys`]: ['get', 'post'],
        [`${p}/api-keys/{key_id}`]: ['delete'],
        [`${p}/endpoints`]: ['get', 'post'],
        [`${p}/endpoints/{endpoint_id}`]: ['delete', 'get', 'patch'],
        [`${p}/endpoints/{endpoint_id}/pause`]: ['post'],
        [`${p}/endpoints/{endpoint_id}/activate`]: ['post'],
        [`${p}/endpoints/{endpoint_id}/secret`]: ['get'],
        [`${p}/subscriptions`]: ['get', 'post'],
        [`${p}/subscriptions/{subscription_id}`]: ['delete', 'get', 'patch'],
        [`${p}/events`]: ['get', 'post'],
        [`${p}/events/{event_id}`]: ['get'],
        [`${p}/events/{event_id}/replay`]: ['post'],
        [`${p}/deliveries`]: ['get'],
        [`${p}/deliveries/{delivery_id}`]: ['get'],
        [`${p}/deliveries/{delivery_id}/attempts`]: ['get'],
        [`${p}/deliveries/{delivery_id}/retry`]: ['post'],
        [`${p}/deliveries/force_resend`]: ['post'],
        [`${p}/deliveries/batch_retry`]: ['post'],
        [`${p}/deliveries/batch_retry/count`]: ['post'],
        '/health/live': ['get'],
        '/health/ready': ['get'],
      };
      for (const [path, methods] of Object.entries(expected)) {
        assert.ok(document.body.paths[path], `the document lists ${path}`);
        for (const method of methods)
          assert.ok(document.body.paths[path][method], `the document lists ${method.toUpperCase()} ${path}`);
      }

      const ui = await fetch(`${root.baseUrl}/docs`);
      assert.equal(ui.status, 200);
      assert.match(ui.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await ui.text(), /swagger/i);
    });
  });
});
