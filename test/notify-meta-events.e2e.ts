import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SignatureOptions, verifyWebhook } from '@caravan/signatures';
import { assertApiError } from './support/api-error';
import { createEndpoint, sendEvent, settledDeliveries } from './support/fixtures';
import { ReceivedRequest, Receiver, ReceiverReply } from './support/receiver';
import { TestCaravan, TestProject } from './support/test-caravan';
import { waitFor } from './support/wait-for';

const FAST_RETRY = { strategy: 'linear', interval_seconds: 0.2, retry_count: 2, max_interval_seconds: 1 };
const META_SECRET = 'meta-secret-for-tests-0001';

interface MetaProject extends TestProject {
  metaPath: string;
  signature: SignatureOptions;
}

describe('meta events: signed notifications about endpoints and deliveries to the project meta endpoint (real processes and receivers)', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  const replies = new Map<string, (index: number) => ReceiverReply>();
  let paths = 0;

  before(async () => {
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    receiver.answer((request) => {
      const reply = replies.get(request.path);
      return reply ? reply(receiver.requestsFor(request.path).length - 1) : { status: 200 };
    });
    await caravan.startApi();
    await caravan.startAgent();
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
  });

  /** A project whose meta endpoint is a path of the receiver; `meta` adds to or overrides the meta settings. */
  async function metaProject(config: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Promise<MetaProject> {
    const metaPath = `/meta-${++paths}`;
    const project = await caravan.createProject({
      retry: FAST_RETRY,
      ...config,
      meta_events: { enabled: true, url: receiver.url(metaPath), secret: META_SECRET, ...meta },
    });
    const { body } = await project.client.get(`/api/v1/projects/${project.id}`);
    return { ...project, metaPath, signature: body.config.signature };
  }

  function metaRequests(project: MetaProject, type?: string): (ReceivedRequest & { payload: any })[] {
    return receiver
      .requestsFor(project.metaPath)
      .map((request) => ({ ...request, payload: JSON.parse(request.body) }))
      .filter((request) => !type || request.payload.event_type === type);
  }

  async function nextMeta(project: MetaProject, type: string, timeoutMs = 15_000): Promise<ReceivedRequest & { payload: any }> {
    return waitFor(`a ${type} meta event at ${project.metaPath}`, () => metaRequests(project, type)[0], timeoutMs);
  }

  function assertSigned(project: MetaProject, request: ReceivedRequest, secret = META_SECRET): void {
    const headers = request.headers as Record<string, string>;
    assert.deepEqual(verifyWebhook({ ...project.signature, secret, body: request.body, headers }), { ok: true }, 'verifies with the meta secret');
    assert.equal(verifyWebhook({ ...project.signature, secret: 'another-secret-entirely-0', body: request.body, headers }).ok, false);
    assert.equal(
      verifyWebhook({ ...project.signature, secret, body: request.body.replace('"data"', '"Data"'), headers }).ok,
      false,
      'a tampered body fails',
    );
  }

  /** Checks `probe` stays true for `ms`, polling: for "nothing else happens". */
  async function holdsFor(what: string, probe: () => Promise<boolean>, ms = 1000): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      assert.ok(await probe(), what);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function metaRows(projectId: string): Promise<any[]> {
    const { rows } = await caravan.query(`SELECT * FROM meta_events WHERE project_id = $1 ORDER BY id`, [projectId]);
    return rows;
  }

  it('keeps the meta secret sealed: a generated one is shown once, then only secret_set', async () => {
    const project = await caravan.createProject();
    const root = caravan.rootClient();
    const initial = await root.get(`/api/v1/projects/${project.id}`);
    assert.deepEqual(initial.body.config.meta_events, {
      enabled: false,
      url: null,
      event_types: ['endpoint.created', 'endpoint.updated', 'endpoint.deleted', 'endpoint.disabled', 'eventdelivery.success', 'eventdelivery.failed'],
      secret_set: false,
    });

    const enabled = await root.patch(`/api/v1/projects/${project.id}`, { config: { meta_events: { enabled: true, url: receiver.url('/meta-generated') } } });
    assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
    const generated: string = enabled.body.config.meta_events.secret;
    assert.match(generated, /^whsec_[A-Za-z0-9+/]{43}=$/);
    assert.equal(enabled.body.config.meta_events.secret_set, true);

    for (const answer of [
      await root.get(`/api/v1/projects/${project.id}`),
      await project.client.get(`/api/v1/projects/${project.id}`),
      await root.patch(`/api/v1/projects/${project.id}`, { config: { meta_events: { event_types: ['endpoint.created'] } } }),
    ]) {
      assert.equal(answer.status, 200);
      assert.equal(answer.body.config.meta_events.secret, undefined, 'never returned again');
      assert.equal(answer.body.config.meta_events.secret_set, true);
      assert.ok(!JSON.stringify(answer.body).includes(generated));
    }
    const listed = await root.get('/api/v1/projects?limit=100');
    assert.ok(!JSON.stringify(listed.body).includes(generated));
    assert.ok(listed.body.data.every((p: any) => p.config.meta_events.secret === undefined));

    const { rows } = await caravan.query(`SELECT config->'meta_events'->>'secret' AS secret FROM projects WHERE id = $1`, [project.id]);
    assert.match(rows[0].secret, /^enc:v1:/, 'sealed at rest');
    assert.ok(!rows[0].secret.includes(generated.slice(6)));

    // The generated secret is the one that signs.
    const metaPath = '/meta-generated';
    await createEndpoint(project.client, project.id, { url: receiver.url('/generated-target') });
    const request = await waitFor('the endpoint.created meta event', () => receiver.requestsFor(metaPath)[0]);
    assert.deepEqual(
      verifyWebhook({ scheme: 'simple', secret: generated, body: request.body, headers: request.headers as Record<string, string> }),
      { ok: true },
    );
  });

  it('refuses meta settings it could never deliver, naming the field', async () => {
    const project = await caravan.createProject();
    const root = caravan.rootClient();
    const patch = (meta_events: unknown) => root.patch(`/api/v1/projects/${project.id}`, { config: { meta_events } });
    assertApiError(await patch({ enabled: true }), { status: 400, field: 'config.meta_events.url', message: /required/ });
    assertApiError(await patch({ url: 'ftp://example.com/meta' }), { status: 400, field: 'config.meta_events.url' });
    assertApiError(await patch({ url: 'http://10.1.2.3/meta' }), { status: 400, field: 'config.meta_events.url', message: /not allowed/ });
    assertApiError(await patch({ url: 'https://u:p@example.com/meta' }), { status: 400, field: 'config.meta_events.url', message: /credentials/ });
    assertApiError(await patch({ event_types: ['endpoint.exploded'] }), { status: 400, field: 'config.meta_events.event_types' });
    assertApiError(await patch({ event_types: [] }), { status: 400, field: 'config.meta_events.event_types' });
    assertApiError(await patch({ secret: 'short' }), { status: 400, field: 'config.meta_events.secret' });
    assertApiError(await patch({ enabled: 'yes' }), { status: 400, field: 'config.meta_events.enabled' });
    assertApiError(await patch({ colour: 'red' }), { status: 400, field: 'config.meta_events.colour' });
    assertApiError(
      await root.patch(`/api/v1/projects/${project.id}`, {
        config: { signature: { scheme: 'standard-webhooks' }, meta_events: { enabled: true, url: 'https://example.com/m', secret: META_SECRET } },
      }),
      { status: 400, field: 'config.meta_events.secret', message: /whsec_/ },
    );
    const unchanged = await root.get(`/api/v1/projects/${project.id}`);
    assert.equal(unchanged.body.config.meta_events.enabled, false);
    assert.equal(unchanged.body.config.signature.scheme, 'simple');
  });

  it('sends endpoint.created, endpoint.updated and endpoint.deleted, signed with the project scheme', async () => {
    const project = await metaProject({ signature: { scheme: 'advanced', header: 'X-Convoy-Signature' } });
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/crud-target'), name: 'before' });
    const created = await nextMeta(project, 'endpoint.created');
    const updated = await project.client.patch(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}`, { name: 'after' });
    assert.equal(updated.status, 200);
    const updatedMeta = await nextMeta(project, 'endpoint.updated');
    assert.equal((await project.client.delete(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}`)).status, 204);
    const deleted = await nextMeta(project, 'endpoint.deleted');

    for (const request of [created, updatedMeta, deleted]) {
      assertSigned(project, request);
      assert.match(String(request.headers['x-convoy-signature']), /^t=\d+,v1=[0-9a-f]{64}$/);
      assert.equal(request.headers['x-caravan-event-type'], request.payload.event_type);
      assert.equal(request.headers['content-type'], 'application/json');
      assert.deepEqual(Object.keys(request.payload).sort(), ['data', 'event_type']);
      assert.equal(request.payload.data.id, endpoint.id);
      assert.equal(request.payload.data.project_id, project.id);
      assert.equal(request.payload.data.secret, undefined, 'the endpoint secret is never in a meta event');
    }
    assert.equal(created.payload.data.name, 'before');
    assert.equal(updatedMeta.payload.data.name, 'after');
    assert.equal(deleted.payload.data.name, 'after', 'the endpoint as it was');
    const rows = await waitFor('every attempt recorded', async () => {
      const all = await metaRows(project.id);
      return all.every((row) => row.status === 'success') && all;
    });
    assert.deepEqual(rows.map((row) => [row.event_type, row.status]), [
      ['endpoint.created', 'success'],
      ['endpoint.updated', 'success'],
      ['endpoint.deleted', 'success'],
    ]);
  });

  it('tells the meta endpoint, signed, when a failing endpoint is disabled by its circuit breaker', async () => {
    const project = await metaProject(
      {
        retry: { strategy: 'linear', interval_seconds: 0.2, retry_count: 30 },
        circuit_breaker: { minimum_request_count: 2, failure_threshold: 50, error_timeout_seconds: 0.5, consecutive_failure_threshold: 2 },
        signature: { scheme: 'standard-webhooks' },
      },
      { secret: `whsec_${Buffer.alloc(32, 'm').toString('base64')}` },
    );
    replies.set('/always-500', () => ({ status: 500 }));
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/always-500') });
    await sendEvent(project.client, project.id, { event_type: 'invoice.paid', data: { n: 1 }, endpoint_id: endpoint.id });

    const disabled = await nextMeta(project, 'endpoint.disabled', 25_000);
    assertSigned(project, disabled, `whsec_${Buffer.alloc(32, 'm').toString('base64')}`);
    assert.ok(disabled.headers['webhook-id'] && disabled.headers['webhook-signature'], 'Standard Webhooks headers');
    assert.equal(disabled.payload.data.id, endpoint.id);
    assert.equal(disabled.payload.data.status, 'inactive');
    assert.match(disabled.payload.data.disabled_reason, /circuit breaker opened 2 times in a row; last failure: endpoint answered 500/);
    const current = await project.client.get(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}`);
    assert.equal(current.body.status, 'inactive');
    assert.equal(metaRequests(project, 'endpoint.disabled').length, 1, 'once');
  });

  it('sends eventdelivery.success and eventdelivery.failed when deliveries reach their final state', async () => {
    const project = await metaProject();
    replies.set('/fails', () => ({ status: 503, body: 'down' }));
    const good = await createEndpoint(project.client, project.id, { url: receiver.url('/succeeds') });
    const bad = await createEndpoint(project.client, project.id, { url: receiver.url('/fails') });
    const toGood = await sendEvent(project.client, project.id, { event_type: 'order.created', data: { n: 1 }, endpoint_id: good.id });
    const toBad = await sendEvent(project.client, project.id, { event_type: 'order.created', data: { n: 2 }, endpoint_id: bad.id });
    const [goodDelivery] = await settledDeliveries(project.client, project.id, toGood.id);
    const [badDelivery] = await settledDeliveries(project.client, project.id, toBad.id);
    assert.equal(badDelivery.status, 'failure');
    assert.equal(badDelivery.attempt_count, 3);

    const success = await nextMeta(project, 'eventdelivery.success');
    const failed = await nextMeta(project, 'eventdelivery.failed');
    assertSigned(project, success);
    assertSigned(project, failed);
    assert.deepEqual(success.payload.data, {
      id: goodDelivery.id,
      project_id: project.id,
      event_id: toGood.id,
      event_type: 'order.created',
      endpoint_id: good.id,
      subscription_id: null,
      status: 'success',
      attempt_count: 1,
      last_status_code: 200,
      last_error: null,
    });
    assert.deepEqual(failed.payload.data, {
      id: badDelivery.id,
      project_id: project.id,
      event_id: toBad.id,
      event_type: 'order.created',
      endpoint_id: bad.id,
      subscription_id: null,
      status: 'failure',
      attempt_count: 3,
      last_status_code: 503,
      last_error: 'endpoint answered 503',
    });
    // Retries in between are not final: one meta event per delivery.
    assert.equal(metaRequests(project, 'eventdelivery.failed').length, 1);
    assert.equal(metaRequests(project, 'eventdelivery.success').length, 1);
  });

  it('sends only the event types the project lists', async () => {
    const project = await metaProject({}, { event_types: ['endpoint.deleted'] });
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/filtered-target') });
    await project.client.patch(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}`, { name: 'renamed' });
    const event = await sendEvent(project.client, project.id, { event_type: 'x', data: {}, endpoint_id: endpoint.id });
    await settledDeliveries(project.client, project.id, event.id);
    await project.client.delete(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}`);

    await nextMeta(project, 'endpoint.deleted');
    assert.deepEqual((await metaRows(project.id)).map((row) => row.event_type), ['endpoint.deleted']);
    assert.deepEqual(metaRequests(project).map((r) => r.payload.event_type), ['endpoint.deleted']);
  });

  it('sends and stores nothing when meta events are off, by default or turned off', async () => {
    const never = await caravan.createProject({ retry: FAST_RETRY });
    const off = await metaProject();
    const root = caravan.rootClient();
    const turnedOff = await root.patch(`/api/v1/projects/${off.id}`, { config: { meta_events: { enabled: false } } });
    assert.equal(turnedOff.body.config.meta_events.enabled, false);
    assert.equal(turnedOff.body.config.meta_events.secret_set, true, 'the secret is kept for later');
    // The agent reads project settings at most a second old.
    await holdsFor('nothing stored while the change reaches the agent', async () => (await metaRows(off.id)).length === 0, 1100);

    for (const project of [never, off]) {
      const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/quiet-target') });
      const event = await sendEvent(project.client, project.id, { event_type: 'x', data: {}, endpoint_id: endpoint.id });
      const [delivery] = await settledDeliveries(project.client, project.id, event.id);
      assert.equal(delivery.status, 'success');
      await project.client.delete(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}`);
      const listed = await project.client.get(`/api/v1/projects/${project.id}/meta-events`);
      assert.deepEqual(listed.body, { data: [], next_cursor: null });
    }
    await holdsFor('nothing stored or sent', async () =>
      (await metaRows(never.id)).length === 0 && (await metaRows(off.id)).length === 0 && metaRequests(off).length === 0,
    );
  });

  it('retries a failing meta endpoint with the project retry policy, and never emits meta events about it', async () => {
    const project = await metaProject();
    replies.set(project.metaPath, (i) => (i < 2 ? { status: 500, body: 'meta down' } : { status: 200 }));
    await createEndpoint(project.client, project.id, { url: receiver.url('/retry-meta-target') });

    const row = await waitFor('the meta event to succeed', async () => {
      const [first] = await metaRows(project.id);
      return first?.status === 'success' && first;
    });
    assert.equal(row.attempt_count, 3);
    const requests = metaRequests(project);
    assert.equal(requests.length, 3);
    assert.deepEqual(requests.map((r) => r.headers['x-caravan-attempt']), ['1', '2', '3']);
    assert.equal(new Set(requests.map((r) => r.headers['x-caravan-event-id'])).size, 1, 'one meta event, three attempts');
    requests.forEach((request) => assertSigned(project, request));

    // A meta endpoint that never answers 2xx ends in failure, and that failure is not news to anyone.
    const failing = await metaProject();
    replies.set(failing.metaPath, () => ({ status: 500 }));
    await createEndpoint(failing.client, failing.id, { url: receiver.url('/retry-meta-target-2') });
    const failed = await waitFor('the meta event to fail', async () => {
      const [first] = await metaRows(failing.id);
      return first?.status === 'failure' && first;
    });
    assert.equal(failed.attempt_count, 3);
    assert.equal(failed.last_error, 'endpoint answered 500');
    await holdsFor('no meta events about meta events, no further attempt', async () => {
      const rows = await metaRows(failing.id);
      return rows.length === 1 && rows[0].event_type === 'endpoint.created' && metaRequests(failing).length === 3;
    });
  });

  it('lists, shows with attempts, and resends meta events, within the project only', async () => {
    const project = await metaProject();
    const other = await metaProject();
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/routes-target') });
    await project.client.post(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}/pause`);
    await waitFor('two meta events sent', async () => (await metaRows(project.id)).filter((r) => r.status === 'success').length === 2);

    const list = await project.client.get(`/api/v1/projects/${project.id}/meta-events`);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.data.map((m: any) => m.event_type), ['endpoint.updated', 'endpoint.created'], 'newest first');
    assert.equal(list.body.next_cursor, null);
    const [updated, created] = list.body.data;
    assert.equal(updated.payload.data.status, 'paused');
    assert.equal(created.status, 'success');
    assert.equal(created.attempt_count, 1);
    assert.equal(created.next_attempt_at, null);

    const page = await project.client.get(`/api/v1/projects/${project.id}/meta-events?limit=1`);
    assert.equal(page.body.data.length, 1);
    const rest = await project.client.get(`/api/v1/projects/${project.id}/meta-events?limit=1&cursor=${page.body.next_cursor}`);
    assert.equal(rest.body.data[0].id, created.id);
    const filtered = await project.client.get(`/api/v1/projects/${project.id}/meta-events?event_type=endpoint.created&status=success`);
    assert.deepEqual(filtered.body.data.map((m: any) => m.id), [created.id]);
    assertApiError(await project.client.get(`/api/v1/projects/${project.id}/meta-events?event_type=nope`), { status: 400, field: 'event_type' });
    assertApiError(await project.client.get(`/api/v1/projects/${project.id}/meta-events?status=lost`), { status: 400, field: 'status' });

    const shown = await project.client.get(`/api/v1/projects/${project.id}/meta-events/${created.id}`);
    assert.equal(shown.status, 200);
    assert.equal(shown.body.attempts.length, 1);
    const [attempt] = shown.body.attempts;
    assert.equal(attempt.meta_event_id, created.id);
    assert.equal(attempt.request.url, receiver.url(project.metaPath));
    assert.equal(attempt.response.status_code, 200);
    const attempts = await project.client.get(`/api/v1/projects/${project.id}/meta-events/${created.id}/attempts`);
    assert.deepEqual(attempts.body.data, shown.body.attempts);

    const before = metaRequests(project, 'endpoint.created').length;
    const resent = await project.client.post(`/api/v1/projects/${project.id}/meta-events/${created.id}/resend`);
    assert.equal(resent.status, 200, JSON.stringify(resent.body));
    assert.equal(resent.body.id, created.id);
    const again = await waitFor('the resent meta event', () => metaRequests(project, 'endpoint.created')[before]);
    assert.equal(again.headers['x-caravan-attempt'], '2');
    assert.equal(again.body, metaRequests(project, 'endpoint.created')[0].body, 'the same payload, byte for byte');
    assertSigned(project, again);
    await waitFor('the resend recorded', async () => {
      const current = (await project.client.get(`/api/v1/projects/${project.id}/meta-events/${created.id}`)).body;
      return current.status === 'success' && current.attempts.length === 2;
    });

    // Another tenant's key, or another project's path, finds nothing.
    assertApiError(await other.client.get(`/api/v1/projects/${other.id}/meta-events/${created.id}`), { status: 404, field: 'meta_event_id' });
    assertApiError(await other.client.post(`/api/v1/projects/${other.id}/meta-events/${created.id}/resend`), { status: 404, field: 'meta_event_id' });
    assertApiError(await other.client.get(`/api/v1/projects/${project.id}/meta-events`), { status: 404, field: 'project_id' });
    assert.deepEqual((await other.client.get(`/api/v1/projects/${other.id}/meta-events`)).body.data, []);
    assertApiError(await project.client.get(`/api/v1/projects/${project.id}/meta-events/not-an-id`), { status: 400, field: 'meta_event_id' });
    assertApiError(await project.client.post(`/api/v1/projects/${project.id}/meta-events/${randomUUID()}/resend`), {
      status: 404,
      field: 'meta_event_id',
    });
  });

  it('sends a meta event whose job was lost: the sweeper finds it in the database', async () => {
    const project = await metaProject();
    const id = randomUUID();
    const payload = JSON.stringify({ event_type: 'endpoint.deleted', data: { id: 'gone' } });
    // As if the process died between storing the meta event and queueing it.
    await caravan.query(`INSERT INTO meta_events (id, project_id, event_type, payload, status, next_attempt_at) VALUES ($1, $2, 'endpoint.deleted', $3, 'scheduled', now() - interval '5 seconds')`, [
      id,
      project.id,
      payload,
    ]);
    const request = await nextMeta(project, 'endpoint.deleted', 15_000);
    assert.equal(request.body, payload);
    assert.equal(request.headers['x-caravan-event-id'], id);
    assertSigned(project, request);
    await waitFor('the swept meta event recorded', async () => (await metaRows(project.id))[0]?.status === 'success');
  });
});
