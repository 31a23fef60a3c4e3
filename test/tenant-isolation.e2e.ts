import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ApiClient } from './support/api-client';
import { assertApiError } from './support/api-error';
import { createEndpoint, FAST_RETRY, sendEvent, settledDeliveries, subscribe } from './support/fixtures';
import { Receiver } from './support/receiver';
import { TestCaravan, TestProject } from './support/test-caravan';

/** The ids of one project's resources, one of each kind. */
interface TenantIds {
  project: string;
  key: string;
  endpoint: string;
  subscription: string;
  event: string;
  delivery: string;
}

interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** Tells apart two calls of one route. */
  note?: string;
}

const UNKNOWN_PROJECT_ID = '01900000-0000-7000-8000-000000000000';

/** Every route under /projects/{project_id}, each aimed at the resources named by `ids`. */
function projectScopedRoutes(ids: TenantIds, hookUrl: string): Route[] {
  const p = `/api/v1/projects/${ids.project}`;
  return [
    { method: 'GET', path: p },
    { method: 'PATCH', path: p, body: { name: 'taken over' } },
    { method: 'DELETE', path: p },
    { method: 'POST', path: `${p}/api-keys`, body: { name: 'stolen' } },
    { method: 'GET', path: `${p}/api-keys` },
    { method: 'DELETE', path: `${p}/api-keys/${ids.key}` },
    { method: 'GET', path: `${p}/endpoints` },
    { method: 'POST', path: `${p}/endpoints`, body: { url: hookUrl } },
    { method: 'GET', path: `${p}/endpoints/${ids.endpoint}` },
    { method: 'PATCH', path: `${p}/endpoints/${ids.endpoint}`, body: { url: hookUrl, name: 'taken over' } },
    { method: 'DELETE', path: `${p}/endpoints/${ids.endpoint}` },
    { method: 'POST', path: `${p}/endpoints/${ids.endpoint}/pause` },
    { method: 'POST', path: `${p}/endpoints/${ids.endpoint}/activate` },
    { method: 'GET', path: `${p}/endpoints/${ids.endpoint}/secret` },
    { method: 'GET', path: `${p}/subscriptions` },
    { method: 'POST', path: `${p}/subscriptions`, body: { endpoint_id: ids.endpoint, event_types: ['*'] } },
    { method: 'GET', path: `${p}/subscriptions/${ids.subscription}` },
    {
      method: 'PATCH',
      path: `${p}/subscriptions/${ids.subscription}`,
      body: { event_types: ['nothing.ever'] },
    },
    { method: 'DELETE', path: `${p}/subscriptions/${ids.subscription}` },
    { method: 'POST', path: `${p}/events`, body: { event_type: 'invoice.paid', data: { injected: true } } },
    {
      method: 'POST',
      path: `${p}/events`,
      body: { event_type: 'invoice.paid', data: {}, endpoint_id: ids.endpoint },
      note: "to B's endpoint",
    },
    { method: 'GET', path: `${p}/events` },
    { method: 'GET', path: `${p}/events/${ids.event}` },
    { method: 'GET', path: `${p}/deliveries` },
    { method: 'GET', path: `${p}/deliveries?event_id=${ids.event}` },
    { method: 'GET', path: `${p}/deliveries/${ids.delivery}` },
    { method: 'GET', path: `${p}/deliveries/${ids.delivery}/attempts` },
    { method: 'POST', path: `${p}/deliveries/${ids.delivery}/retry` },
    { method: 'POST', path: `${p}/deliveries/force_resend`, body: { ids: [ids.delivery] } },
    { method: 'POST', path: `${p}/deliveries/batch_retry/count`, body: { status: ['success'] } },
    { method: 'POST', path: `${p}/deliveries/batch_retry`, body: { status: ['success'] } },
    { method: 'POST', path: `${p}/events/${ids.event}/replay` },
  ];
}

function call(client: ApiClient, route: Route) {
  return client.request(route.method, route.path, route.body);
}

describe('tenant isolation (a project key reaches its own project only)', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  let root: ApiClient;
  let a: TestProject;
  let b: TestProject;
  let aIds: TenantIds;
  let bIds: TenantIds;
  let bBaseline: unknown;

  /** Everything the root key can see of a project, to prove nothing in it changed. */
  async function stateOf(projectId: string): Promise<unknown> {
    const p = `/api/v1/projects/${projectId}`;
    const read = async (path: string) => {
      const response = await root.get(path);
      assert.equal(response.status, 200, `${path}: ${JSON.stringify(response.body)}`);
      return response.body;
    };
    const endpoints = await read(`${p}/endpoints?limit=100`);
    const deliveries = await read(`${p}/deliveries?limit=100`);
    return {
      project: await read(p),
      keys: await read(`${p}/api-keys?limit=100`),
      endpoints,
      secrets: await Promise.all(endpoints.data.map((e: any) => read(`${p}/endpoints/${e.id}/secret`))),
      subscriptions: await read(`${p}/subscriptions?limit=100`),
      events: await read(`${p}/events?limit=100`),
      deliveries: await Promise.all(deliveries.data.map((d: any) => read(`${p}/deliveries/${d.id}`))),
    };
  }

  /** One endpoint, subscription, routed event and finished delivery with its attempt. */
  async function populate(project: TestProject, path: string): Promise<TenantIds> {
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url(path) });
    const subscription = await subscribe(project.client, project.id, endpoint.id, ['invoice.*']);
    const event = await sendEvent(project.client, project.id, {
      event_type: 'invoice.paid',
      data: { tenant: path },
    });
    const [delivery] = await settledDeliveries(project.client, project.id, event.id);
    assert.equal(delivery.status, 'success');
    const keys = await root.get(`/api/v1/projects/${project.id}/api-keys`);
    return {
      project: project.id,
      key: keys.body.data[0].id,
      endpoint: endpoint.id,
      subscription: subscription.id,
      event: event.id,
      delivery: delivery.id,
    };
  }

  before(async () => {
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    root = await caravan.startApi();
    await caravan.startAgent();
    a = await caravan.createProject({ retry: FAST_RETRY });
    b = await caravan.createProject({ retry: FAST_RETRY });
    aIds = await populate(a, '/tenant-a');
    bIds = await populate(b, '/tenant-b');
    bBaseline = await stateOf(b.id);
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
  });

  describe("a key of project A naming project B's id", () => {
    // Test names come from placeholder ids; the real ids exist only after before(), so each test
    // builds the routes again and takes its own by index.
    const templates = projectScopedRoutes(
      {
        project: '{B}',
        key: '{key_id}',
        endpoint: '{endpoint_id}',
        subscription: '{subscription_id}',
        event: '{event_id}',
        delivery: '{delivery_id}',
      },
      'http://x',
    );
    templates.forEach((template, index) => {
      const name = `${template.method} ${template.path.replace('/api/v1', '')}${template.note ? ` (${template.note})` : ''}`;
      it(`${name} answers 404 project not found and changes nothing`, async () => {
        const aBefore = await stateOf(a.id);
        const route = projectScopedRoutes(bIds, receiver.url('/hijack'))[index];
        const response = await call(a.client, route);
        assertApiError(
          response,
          { status: 404, field: 'project_id', message: 'project not found' },
          `${route.method} ${route.path}`,
        );
        assert.deepEqual(await stateOf(b.id), bBaseline, 'project B is unchanged');
        assert.deepEqual(await stateOf(a.id), aBefore, 'nothing was created in project A either');
      });
    });
  });

  it("answers another tenant's project exactly as it answers a project that does not exist", async () => {
    const other = await a.client.get(`/api/v1/projects/${b.id}/endpoints/${bIds.endpoint}`);
    const missing = await a.client.get(`/api/v1/projects/${UNKNOWN_PROJECT_ID}/endpoints/${bIds.endpoint}`);
    assertApiError(missing, { status: 404, field: 'project_id', message: 'project not found' });
    assert.deepEqual(other.body, missing.body);
    const rootMissing = await root.get(`/api/v1/projects/${UNKNOWN_PROJECT_ID}`);
    assertApiError(rootMissing, { status: 404, field: 'project_id', message: 'project not found' });
  });

  it("answers 404 naming the id when A's key uses its own project with B's endpoint, subscription, event or delivery", async () => {
    const p = `/api/v1/projects/${a.id}`;
    const cases: (Route & { field: string; message: string })[] = [
      {
        method: 'GET',
        path: `${p}/endpoints/${bIds.endpoint}`,
        field: 'endpoint_id',
        message: 'endpoint not found',
      },
      {
        method: 'PATCH',
        path: `${p}/endpoints/${bIds.endpoint}`,
        body: { name: 'taken over' },
        field: 'endpoint_id',
        message: 'endpoint not found',
      },
      {
        method: 'DELETE',
        path: `${p}/endpoints/${bIds.endpoint}`,
        field: 'endpoint_id',
        message: 'endpoint not found',
      },
      {
        method: 'POST',
        path: `${p}/endpoints/${bIds.endpoint}/pause`,
        field: 'endpoint_id',
        message: 'endpoint not found',
      },
      {
        method: 'POST',
        path: `${p}/endpoints/${bIds.endpoint}/activate`,
        field: 'endpoint_id',
        message: 'endpoint not found',
      },
      {
        method: 'GET',
        path: `${p}/endpoints/${bIds.endpoint}/secret`,
        field: 'endpoint_id',
        message: 'endpoint not found',
      },
      {
        method: 'POST',
        path: `${p}/subscriptions`,
        body: { endpoint_id: bIds.endpoint },
        field: 'endpoint_id',
        message: 'endpoint not found',
      },
      {
        method: 'GET',
        path: `${p}/subscriptions/${bIds.subscription}`,
        field: 'subscription_id',
        message: 'subscription not found',
      },
      {
        method: 'PATCH',
        path: `${p}/subscriptions/${bIds.subscription}`,
        body: { event_types: ['nothing.ever'] },
        field: 'subscription_id',
        message: 'subscription not found',
      },
      {
        method: 'DELETE',
        path: `${p}/subscriptions/${bIds.subscription}`,
        field: 'subscription_id',
        message: 'subscription not found',
      },
      {
        method: 'POST',
        path: `${p}/events`,
        body: { event_type: 'invoice.paid', data: {}, endpoint_id: bIds.endpoint },
        field: 'endpoint_id',
        message: 'endpoint not found',
      },
      { method: 'GET', path: `${p}/events/${bIds.event}`, field: 'event_id', message: 'event not found' },
      {
        method: 'GET',
        path: `${p}/deliveries/${bIds.delivery}`,
        field: 'delivery_id',
        message: 'delivery not found',
      },
      {
        method: 'GET',
        path: `${p}/deliveries/${bIds.delivery}/attempts`,
        field: 'delivery_id',
        message: 'delivery not found',
      },
    ];
    const aBefore = await stateOf(a.id);
    for (const route of cases) {
      const response = await call(a.client, route);
      assertApiError(
        response,
        { status: 404, field: route.field, message: route.message },
        `${route.method} ${route.path}`,
      );
    }
    assert.deepEqual(await stateOf(b.id), bBaseline, 'project B is unchanged');
    assert.deepEqual(await stateOf(a.id), aBefore, 'nothing was created in project A');
  });

  it("refuses to revoke B's key through A's project, even with the root key", async () => {
    const response = await root.delete(`/api/v1/projects/${a.id}/api-keys/${bIds.key}`);
    assertApiError(response, { status: 404, field: 'key_id', message: 'API key not found' });
    assert.equal((await b.client.get(`/api/v1/projects/${b.id}`)).status, 200, "B's key still works");
    assert.deepEqual(await stateOf(b.id), bBaseline);
  });

  it("finds nothing of B when A's lists are filtered by B's ids, and A's lists hold only A's resources", async () => {
    const p = `/api/v1/projects/${a.id}`;
    const empty = { data: [], next_cursor: null };
    for (const path of [
      `${p}/deliveries?event_id=${bIds.event}`,
      `${p}/deliveries?endpoint_id=${bIds.endpoint}`,
      `${p}/subscriptions?endpoint_id=${bIds.endpoint}`,
    ]) {
      const response = await a.client.get(path);
      assert.equal(response.status, 200, path);
      assert.deepEqual(response.body, empty, path);
    }
    const lists = {
      endpoints: [aIds.endpoint],
      subscriptions: [aIds.subscription],
      events: [aIds.event],
      deliveries: [aIds.delivery],
    };
    for (const [list, ids] of Object.entries(lists)) {
      const response = await a.client.get(`${p}/${list}?limit=100`);
      assert.equal(response.status, 200, list);
      assert.deepEqual(
        response.body.data.map((item: any) => item.id),
        ids,
        list,
      );
      assert.ok(
        response.body.data.every((item: any) => item.project_id === a.id),
        list,
      );
    }
  });

  it('answers 403 to root-only routes called with a project key on its own project, and changes nothing', async () => {
    const p = `/api/v1/projects/${a.id}`;
    const projectsBefore = await root.get('/api/v1/projects?limit=100');
    const aBefore = await stateOf(a.id);
    const rootOnly: Route[] = [
      { method: 'POST', path: '/api/v1/projects', body: { name: 'made by a project key' } },
      { method: 'GET', path: '/api/v1/projects' },
      { method: 'PATCH', path: p, body: { name: 'renamed by a project key' } },
      { method: 'DELETE', path: p },
      { method: 'POST', path: `${p}/api-keys`, body: { name: 'minted by a project key' } },
      { method: 'GET', path: `${p}/api-keys` },
      { method: 'DELETE', path: `${p}/api-keys/${aIds.key}` },
    ];
    for (const route of rootOnly) {
      const response = await call(a.client, route);
      assertApiError(
        response,
        { status: 403, message: 'this route needs the root API key' },
        `${route.method} ${route.path}`,
      );
    }
    assert.deepEqual(await root.get('/api/v1/projects?limit=100').then((r) => r.body), projectsBefore.body);
    assert.deepEqual(await stateOf(a.id), aBefore);
    const own = await a.client.get(p);
    assert.equal(own.status, 200, 'the same key still reads its own project');
    assert.equal(own.body.id, a.id);
  });

  it('answers 401 when the key is missing, malformed or unknown', async () => {
    const anonymous = new ApiClient(root.baseUrl);
    const paths = [`/api/v1/projects/${a.id}/endpoints`, '/api/v1/projects'];
    const badHeader = 'send an API key as "Authorization: Bearer <key>"';
    const attempts: { authorization?: string; message: string }[] = [
      { message: badHeader },
      { authorization: '', message: badHeader },
      { authorization: 'Bearer', message: badHeader },
      { authorization: 'Bearer ', message: badHeader },
      { authorization: `Basic ${Buffer.from(`user:${a.key}`).toString('base64')}`, message: badHeader },
      { authorization: a.key, message: badHeader },
      { authorization: `Bearer ${a.key} extra`, message: badHeader },
      { authorization: 'Bearer cv_abcdefgh_not-a-real-key', message: 'API key is not valid' },
      {
        authorization: `Bearer ${a.key.slice(0, -1)}${a.key.endsWith('A') ? 'B' : 'A'}`,
        message: 'API key is not valid',
      },
      { authorization: `Bearer ${caravan.rootKey}x`, message: 'API key is not valid' },
    ];
    for (const path of paths) {
      for (const attempt of attempts) {
        const headers: Record<string, string> =
          attempt.authorization === undefined ? {} : { authorization: attempt.authorization };
        const response = await anonymous.request('GET', path, undefined, headers);
        assertApiError(
          response,
          { status: 401, message: attempt.message },
          `${path} with ${JSON.stringify(attempt.authorization)}`,
        );
      }
    }
    const event = await anonymous.request('POST', `/api/v1/projects/${a.id}/events`, {
      event_type: 'x',
      data: {},
    });
    assertApiError(event, { status: 401, message: badHeader });
  });

  it('answers 401 to a revoked key on the very next request', async () => {
    const p = `/api/v1/projects/${a.id}`;
    const created = await root.post(`${p}/api-keys`, { name: 'to revoke' });
    assert.equal(created.status, 201);
    const doomed = root.withKey(created.body.key);
    assert.equal((await doomed.get(`${p}/endpoints`)).status, 200);

    const revoked = await root.delete(`${p}/api-keys/${created.body.id}`);
    assert.equal(revoked.status, 204);
    assert.equal(revoked.body, undefined);

    assertApiError(await doomed.get(`${p}/endpoints`), { status: 401, message: 'API key is not valid' });
    const eventsBefore = await root.get(`${p}/events?limit=100`);
    assertApiError(await doomed.post(`${p}/events`, { event_type: 'x', data: {} }), {
      status: 401,
      message: 'API key is not valid',
    });
    assert.deepEqual(
      (await root.get(`${p}/events?limit=100`)).body,
      eventsBefore.body,
      'the revoked key stored no event',
    );

    const listed = (await root.get(`${p}/api-keys?limit=100`)).body.data.find(
      (k: any) => k.id === created.body.id,
    );
    assert.ok(listed.revoked_at, 'the list shows when it was revoked');
    assert.equal((await a.client.get(`${p}/endpoints`)).status, 200, "the project's other key still works");
  });

  it('stores API keys only as a SHA-256 hash: no column holds the key or its secret part', async () => {
    const created = await root.post(`/api/v1/projects/${b.id}/api-keys`, { name: 'hash check' });
    assert.equal(created.status, 201);
    const key: string = created.body.key;
    const secretPart = key.slice(`cv_${created.body.prefix}_`.length);
    assert.ok(secretPart.length >= 40, key);

    const { rows } = await caravan.db.query('SELECT * FROM api_keys');
    const row = rows.find((r: any) => r.id === created.body.id);
    assert.ok(row, 'the key has a row');
    assert.equal(row.key_hash, createHash('sha256').update(key, 'utf8').digest('hex'));
    assert.equal(row.prefix, created.body.prefix);
    assert.equal(row.project_id, b.id);

    const plaintexts = [key, secretPart, a.key, b.key, caravan.rootKey];
    for (const stored of rows) {
      for (const [column, value] of Object.entries(stored)) {
        const text = value instanceof Date ? value.toISOString() : String(value);
        for (const plaintext of plaintexts) {
          assert.ok(!text.includes(plaintext), `api_keys.${column} of ${stored.id} contains a key`);
        }
      }
    }
    for (const stored of rows) assert.match(stored.key_hash, /^[0-9a-f]{64}$/, `key_hash of ${stored.id}`);
  });
});
