import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { ApiResponse } from './support/api-client';
import { assertApiError } from './support/api-error';
import { createEndpoint, sendEvent, settledDeliveries } from './support/fixtures';
import { Receiver } from './support/receiver';
import { TestCaravan, TestProject } from './support/test-caravan';
import { waitFor } from './support/wait-for';

const BODY_LIMIT_BYTES = 16 * 1024;
const PUBLIC_URL = 'https://hooks.example.test/caravan';
const UNKNOWN_ID = '01900000-0000-7000-8000-000000000000';

interface IngestAnswer {
  status: number;
  text: string;
  headers: Headers;
}

describe('incoming webhooks: sources verify what providers send, store it and route it (real processes)', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;

  before(async () => {
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    await caravan.startApi({
      CARAVAN_BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
      CARAVAN_PUBLIC_URL: PUBLIC_URL,
    });
    await caravan.startAgent();
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
  });

  /** As a provider sends it: no API key, the body's bytes exactly as given. */
  async function ingest(
    maskId: string,
    body: string | Buffer,
    headers: Record<string, string>,
  ): Promise<IngestAnswer> {
    const response = await fetch(`${caravan.api!.url}/ingest/${maskId}`, { method: 'POST', headers, body });
    return { status: response.status, text: await response.text(), headers: response.headers };
  }

  async function createSource(project: TestProject, body: Record<string, unknown>): Promise<any> {
    const response = await project.client.post(`/api/v1/projects/${project.id}/sources`, body);
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  }

  async function subscribeToSource(
    project: TestProject,
    endpointId: string,
    sourceId: string | undefined,
    eventTypes = ['*'],
  ): Promise<any> {
    const response = await project.client.post(`/api/v1/projects/${project.id}/subscriptions`, {
      endpoint_id: endpointId,
      event_types: eventTypes,
      ...(sourceId ? { source_id: sourceId } : {}),
    });
    assert.equal(response.status, 201, JSON.stringify(response.body));
    return response.body;
  }

  async function storedEvents(
    projectId: string,
  ): Promise<{ id: string; source_id: string | null; event_type: string; payload: string }[]> {
    const { rows } = await caravan.db.query(
      `SELECT id, source_id, event_type, payload FROM events WHERE project_id = $1 ORDER BY id`,
      [projectId],
    );
    return rows;
  }

  function asApiResponse(answer: IngestAnswer): ApiResponse {
    return { status: answer.status, body: JSON.parse(answer.text), headers: answer.headers };
  }

  async function deliveredBodies(path: string, count: number): Promise<string[]> {
    await waitFor(`${count} deliveries to ${path}`, () => receiver.requestsFor(path).length >= count);
    return receiver.requestsFor(path).map((request) => request.body);
  }

  describe('GitHub', () => {
    const secret = 'github-webhook-secret-5d1f';
    // A number beyond 2^53: parsing and re-serialising would change it.
    const body = '{"action":"opened","number":42,"pull_request":{"id":9007199254740993}}';
    const sign = (payload: string) => `sha256=${createHmac('sha256', secret).update(payload).digest('hex')}`;
    const headers = (delivery: string, signature = sign(body)) => ({
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/abc123',
      'x-github-event': 'pull_request',
      'x-github-delivery': delivery,
      'x-hub-signature-256': signature,
    });

    let project: TestProject;
    let source: any;

    before(async () => {
      project = await caravan.createProject();
      source = await createSource(project, {
        name: 'GitHub',
        verifier: { type: 'github', secret },
        idempotency_header: 'X-GitHub-Delivery',
        response: { status_code: 202, body: 'thanks', content_type: 'text/plain' },
      });
      const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/github') });
      await subscribeToSource(project, endpoint.id, source.id, ['pull_request']);
    });

    it('accepts a delivery signed as GitHub signs it, answers as configured, stores it with source_id and delivers it byte for byte', async () => {
      assert.equal(source.ingest_url, `${PUBLIC_URL}/ingest/${source.mask_id}`);
      assert.match(source.mask_id, /^[A-Za-z0-9_-]{32}$/);

      const answer = await ingest(source.mask_id, body, headers('7c1e6a70-0001'));
      assert.equal(answer.status, 202);
      assert.equal(answer.text, 'thanks');
      assert.match(answer.headers.get('content-type') ?? '', /^text\/plain/);

      const [event, ...others] = await storedEvents(project.id);
      assert.equal(others.length, 0);
      assert.equal(event.source_id, source.id);
      assert.equal(event.event_type, 'pull_request', 'from X-GitHub-Event');
      assert.equal(event.payload, body);
      assert.deepEqual(await deliveredBodies('/github', 1), [body]);
      const shown = await project.client.get(`/api/v1/projects/${project.id}/events/${event.id}`);
      assert.equal(shown.body.source_id, source.id);
      assert.equal(shown.body.idempotency_key, '7c1e6a70-0001');
      const delivered = receiver.requestsFor('/github')[0];
      assert.equal(delivered.headers['x-hub-signature-256'], undefined, 'request headers are not forwarded');
    });

    it('answers a repeated X-GitHub-Delivery the same way without storing a second event', async () => {
      const first = await storedEvents(project.id);
      const repeat = await ingest(source.mask_id, body, headers('7c1e6a70-0001'));
      assert.equal(repeat.status, 202);
      assert.equal(repeat.text, 'thanks');
      assert.equal(repeat.headers.get('idempotent-replayed'), 'true');
      assert.deepEqual(await storedEvents(project.id), first);

      assert.equal(
        (await ingest(source.mask_id, body, headers('7c1e6a70-0002'))).status,
        202,
        'a new delivery id is a new event',
      );
      assert.equal((await storedEvents(project.id)).length, first.length + 1);
    });

    it('refuses a tampered body carrying the original signature with 401, and stores nothing', async () => {
      const before = await storedEvents(project.id);
      const tampered = await ingest(source.mask_id, body.replace('42', '43'), headers('7c1e6a70-0003'));
      assertApiError(asApiResponse(tampered), { status: 401, message: /X-Hub-Signature-256/ });
      const unsigned = await ingest(source.mask_id, body, {
        'content-type': 'application/json',
        'x-github-event': 'push',
      });
      assertApiError(asApiResponse(unsigned), { status: 401, message: /missing header X-Hub-Signature-256/ });
      const otherSecret = await ingest(
        source.mask_id,
        body,
        headers('7c1e6a70-0004', `sha256=${createHmac('sha256', 'guess').update(body).digest('hex')}`),
      );
      assert.equal(otherSecret.status, 401);

      assert.deepEqual(await storedEvents(project.id), before);
      const { rows } = await caravan.db.query(
        `SELECT count(*)::int AS n FROM ingest_errors WHERE project_id = $1`,
        [project.id],
      );
      assert.equal(rows[0].n, 0, 'a refused request is not kept anywhere');
    });
  });

  describe('Stripe', () => {
    const secret = 'whsec_stripe_test_secret_0a9b3c';
    const body =
      '{"id":"evt_1Nq","object":"event","type":"invoice.paid","data":{"object":{"amount_paid":1200}}}';
    const stripeSignature = (payload: string, timestamp: number, key = secret) =>
      `t=${timestamp},v1=${createHmac('sha256', key).update(`${timestamp}.${payload}`).digest('hex')}`;

    let project: TestProject;
    let source: any;

    before(async () => {
      project = await caravan.createProject();
      source = await createSource(project, {
        name: 'Stripe',
        verifier: { type: 'stripe', secret },
        mapping: { idempotency_key_path: 'id' },
      });
      const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/stripe') });
      await subscribeToSource(project, endpoint.id, source.id, ['invoice.*']);
    });

    it('accepts a Stripe-Signature made as Stripe makes it, answers 200 {"status":"ok"} and delivers the event', async () => {
      const now = Math.floor(Date.now() / 1000);
      const header = `${stripeSignature(body, now, 'whsec_rolled_old_secret')},v1=${stripeSignature(body, now).split('v1=')[1]}`;
      const answer = await ingest(source.mask_id, body, {
        'content-type': 'application/json; charset=utf-8',
        'stripe-signature': header,
      });
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.text), { status: 'ok' });
      assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);

      const [event] = await storedEvents(project.id);
      assert.equal(event.source_id, source.id);
      assert.equal(event.event_type, 'invoice.paid', "from the body's type");
      assert.deepEqual(await deliveredBodies('/stripe', 1), [body]);

      const again = await ingest(source.mask_id, body, {
        'content-type': 'application/json',
        'stripe-signature': stripeSignature(body, now + 1),
      });
      assert.equal(again.status, 200, 'a retried Stripe event (same id, idempotency_key_path) is answered');
      assert.equal((await storedEvents(project.id)).length, 1);
    });

    it('refuses a tampered body and a correctly signed but expired timestamp with 401, storing nothing', async () => {
      const before = await storedEvents(project.id);
      const now = Math.floor(Date.now() / 1000);
      const tampered = await ingest(source.mask_id, body.replace('1200', '120000'), {
        'content-type': 'application/json',
        'stripe-signature': stripeSignature(body, now),
      });
      assertApiError(asApiResponse(tampered), {
        status: 401,
        message: /no v1 signature in Stripe-Signature matches/,
      });
      const fresh = body.replace('evt_1Nq', 'evt_2Xy');
      const expired = await ingest(source.mask_id, fresh, {
        'content-type': 'application/json',
        'stripe-signature': stripeSignature(fresh, now - 600),
      });
      assertApiError(asApiResponse(expired), { status: 401, message: /tolerance/ });
      assert.deepEqual(await storedEvents(project.id), before);
    });
  });

  describe('Standard Webhooks', () => {
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const body =
      '{"type":"user.created","timestamp":"2026-11-23T10:00:00Z","data":{"id":"u_1","plan":"pro"}}';
    /** The specification's algorithm: base64 HMAC-SHA256, keyed by the secret's decoded bytes, of "<id>.<timestamp>.<body>". */
    const sign = (id: string, timestamp: number, payload: string) =>
      `v1,${createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
        .update(`${id}.${timestamp}.${payload}`)
        .digest('base64')}`;
    const headers = (id: string, timestamp: number, signature: string) => ({
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': signature,
    });

    let project: TestProject;
    let source: any;

    before(async () => {
      project = await caravan.createProject();
      source = await createSource(project, {
        name: 'Svix app',
        verifier: { type: 'standard-webhooks', secret },
        idempotency_header: 'webhook-id',
      });
      const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/standard') });
      await subscribeToSource(project, endpoint.id, source.id);
    });

    it('accepts a message signed by the specification (and identically by the reference library), stores and delivers it once', async () => {
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = sign('msg_2b3KfJ', timestamp, body);
      assert.equal(new Webhook(secret).sign('msg_2b3KfJ', new Date(timestamp * 1000), body), signature);

      const answer = await ingest(source.mask_id, body, headers('msg_2b3KfJ', timestamp, signature));
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.text), { status: 'ok' });
      const [event] = await storedEvents(project.id);
      assert.equal(event.source_id, source.id);
      assert.equal(event.event_type, 'user.created');
      assert.deepEqual(await deliveredBodies('/standard', 1), [body]);

      const repeat = await ingest(source.mask_id, body, headers('msg_2b3KfJ', timestamp, signature));
      assert.equal(repeat.status, 200);
      assert.equal(repeat.headers.get('idempotent-replayed'), 'true');
      assert.equal((await storedEvents(project.id)).length, 1);
    });

    it('refuses a tampered body and an old timestamp with 401, storing nothing', async () => {
      const before = await storedEvents(project.id);
      const timestamp = Math.floor(Date.now() / 1000);
      const tampered = await ingest(
        source.mask_id,
        body.replace('pro', 'enterprise'),
        headers('msg_tampered', timestamp, sign('msg_tampered', timestamp, body)),
      );
      assertApiError(asApiResponse(tampered), {
        status: 401,
        message: 'webhook verification failed: no signature matches',
      });
      const old = timestamp - 3600;
      const replayed = await ingest(
        source.mask_id,
        body,
        headers('msg_old', old, sign('msg_old', old, body)),
      );
      assertApiError(asApiResponse(replayed), { status: 401, message: /timestamp outside tolerance/ });
      assert.deepEqual(await storedEvents(project.id), before);
    });
  });

  it('routes a source event only to subscriptions of that source, and an API event only to subscriptions without one', async () => {
    const project = await caravan.createProject();
    const source = await createSource(project, {
      name: 'Partner feed',
      verifier: { type: 'api_key', header_name: 'X-Partner-Key', header_value: 'partner-key-31f7' },
    });
    const fromSource = await createEndpoint(project.client, project.id, {
      url: receiver.url('/routing/source'),
    });
    const fromApi = await createEndpoint(project.client, project.id, { url: receiver.url('/routing/api') });
    await subscribeToSource(project, fromSource.id, source.id);
    await subscribeToSource(project, fromApi.id, undefined);

    const answer = await ingest(source.mask_id, '{"order":1}', {
      'content-type': 'application/json',
      'x-partner-key': 'partner-key-31f7',
    });
    assert.equal(answer.status, 200);
    const [ingested] = await storedEvents(project.id);
    assert.equal(ingested.event_type, 'Partner-feed', 'no provider type: the source name');
    const sourceDeliveries = await settledDeliveries(project.client, project.id, ingested.id);
    assert.deepEqual(
      sourceDeliveries.map((delivery) => delivery.endpoint_id),
      [fromSource.id],
    );

    const sent = await sendEvent(project.client, project.id, {
      event_type: 'order.created',
      data: { order: 2 },
    });
    const apiDeliveries = await settledDeliveries(project.client, project.id, sent.id);
    assert.deepEqual(
      apiDeliveries.map((delivery) => delivery.endpoint_id),
      [fromApi.id],
    );
    assert.equal(sent.source_id, null);

    const wrongKey = await ingest(source.mask_id, '{"order":3}', {
      'content-type': 'application/json',
      'x-partner-key': 'partner-key-31f8',
    });
    assert.equal(wrongKey.status, 401);
  });

  it('keeps a form or text body as {"raw": ...}, verified over its exact bytes', async () => {
    const project = await caravan.createProject();
    const secret = 'form-signing-secret-77';
    const source = await createSource(project, {
      name: 'forms',
      verifier: { type: 'hmac', header: 'X-Form-Signature', hash: 'sha512', encoding: 'base64', secret },
    });
    assert.deepEqual(source.verifier, {
      type: 'hmac',
      header: 'X-Form-Signature',
      hash: 'sha512',
      encoding: 'base64',
    });
    const body = 'amount=10&currency=eur&note=caf%C3%A9';
    const answer = await ingest(source.mask_id, body, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-form-signature': createHmac('sha512', secret).update(body).digest('base64'),
    });
    assert.equal(answer.status, 200, answer.text);
    const text = await ingest(source.mask_id, 'plain words', {
      'content-type': 'text/plain',
      'x-form-signature': createHmac('sha512', secret).update('plain words').digest('base64'),
    });
    assert.equal(text.status, 200, text.text);
    const events = await storedEvents(project.id);
    assert.deepEqual(
      events.map((event) => JSON.parse(event.payload)),
      [{ raw: body }, { raw: 'plain words' }],
    );
  });

  it('keeps a verified request its source cannot turn into an event as an ingest error, answering 400', async () => {
    const project = await caravan.createProject();
    const source = await createSource(project, { name: 'mapped', mapping: { endpoint_id_path: 'target' } });
    const notUtf8 = await ingest(source.mask_id, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), {
      'content-type': 'application/octet-stream',
    });
    assertApiError(asApiResponse(notUtf8), { status: 400, message: 'the body is not UTF-8 text' });
    const unknownEndpoint = await ingest(source.mask_id, JSON.stringify({ target: UNKNOWN_ID }), {
      'content-type': 'application/json',
      'user-agent': 'Partner/1.0',
      authorization: 'Bearer partner-token-never-kept',
    });
    assertApiError(asApiResponse(unknownEndpoint), { status: 400, message: /endpoint not found/ });

    assert.equal((await storedEvents(project.id)).length, 0);
    const { rows } = await caravan.db.query(
      `SELECT source_id, reason, payload, headers FROM ingest_errors WHERE project_id = $1 ORDER BY id`,
      [project.id],
    );
    assert.deepEqual(
      rows.map((row: any) => [row.source_id, row.reason]),
      [
        [source.id, 'the body is not UTF-8 text'],
        [source.id, "endpoint not found (from the source's mapping)"],
      ],
    );
    assert.equal(rows[1].payload, JSON.stringify({ target: UNKNOWN_ID }));
    assert.deepEqual(rows[1].headers, { 'content-type': 'application/json', 'user-agent': 'Partner/1.0' });

    const listed = await project.client.get(`/api/v1/projects/${project.id}/sources/${source.id}/ingest-errors?limit=1`);
    assert.equal(listed.status, 200);
    assert.equal(listed.body.data.length, 1);
    assert.equal(listed.body.data[0].reason, "endpoint not found (from the source's mapping)", 'newest first');
    assert.equal(listed.body.data[0].payload, JSON.stringify({ target: UNKNOWN_ID }));
    const next = await project.client.get(
      `/api/v1/projects/${project.id}/sources/${source.id}/ingest-errors?cursor=${listed.body.next_cursor}`,
    );
    assert.deepEqual(next.body.data.map((error: any) => error.reason), ['the body is not UTF-8 text']);
    assert.equal(next.body.next_cursor, null);
  });

  it('answers 404 for an unknown mask id and 413 for a body over the source limit, storing nothing', async () => {
    const project = await caravan.createProject();
    const plain = await createSource(project, { name: 'default limit' });
    const roomy = await createSource(project, { name: 'roomy', body_limit_bytes: 64 * 1024 });
    const json = { 'content-type': 'application/json' };

    assertApiError(asApiResponse(await ingest('A'.repeat(32), '{}', json)), {
      status: 404,
      field: 'mask_id',
    });
    assertApiError(asApiResponse(await ingest('short', '{}', json)), { status: 404, field: 'mask_id' });
    assertApiError(asApiResponse(await ingest('A'.repeat(32), 'x', { 'content-type': 'text/plain' })), {
      status: 404,
      field: 'mask_id',
    });

    const twenty = JSON.stringify({ pad: 'x'.repeat(20 * 1024) });
    assertApiError(asApiResponse(await ingest(plain.mask_id, twenty, json)), {
      status: 413,
      message: `request body is larger than this source accepts (${BODY_LIMIT_BYTES} bytes)`,
    });
    const streamed = await fetch(`${caravan.api!.url}/ingest/${plain.mask_id}`, {
      method: 'POST',
      headers: json,
      body: new Blob([twenty]).stream(),
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413, 'a body without Content-Length is counted as it arrives');
    assert.equal((await storedEvents(project.id)).length, 0);

    assert.equal(
      (await ingest(roomy.mask_id, twenty, json)).status,
      200,
      'a source may accept more than CARAVAN_BODY_LIMIT_BYTES',
    );
    const seventy = JSON.stringify({ pad: 'x'.repeat(70 * 1024) });
    assertApiError(asApiResponse(await ingest(roomy.mask_id, seventy, json)), { status: 413 });
    assert.equal((await storedEvents(project.id)).length, 1);
  });

  it('never returns a secret from create, get, list or update, and keeps them encrypted at rest', async () => {
    const project = await caravan.createProject();
    const secrets = {
      hmac: 'hmac-secret-b8d2e1',
      github: 'github-secret-c1a9f0',
      stripe: 'whsec_stripe-secret-d4e5f6',
      shopify: 'shopify-secret-e7f8a9',
      standard: `whsec_${Buffer.from('standard-webhooks-secret-0123456').toString('base64')}`,
      username: 'basic-user-f1e2d3',
      password: 'basic-password-a7b6c5',
      apiKey: 'api-key-value-9c8b7a',
    };
    const verifiers = [
      { type: 'hmac', header: 'X-Sig', secret: secrets.hmac },
      { type: 'github', secret: secrets.github },
      { type: 'stripe', secret: secrets.stripe },
      { type: 'shopify', secret: secrets.shopify },
      { type: 'standard-webhooks', secret: secrets.standard },
      { type: 'basic_auth', username: secrets.username, password: secrets.password },
      { type: 'api_key', header_name: 'X-Api-Key', header_value: secrets.apiKey },
    ];
    const answers: unknown[] = [];
    for (const verifier of verifiers) {
      const created = await createSource(project, { name: verifier.type, verifier });
      answers.push(created);
      answers.push((await project.client.get(`/api/v1/projects/${project.id}/sources/${created.id}`)).body);
      const patched = await project.client.patch(`/api/v1/projects/${project.id}/sources/${created.id}`, {
        name: `${verifier.type} renamed`,
        verifier,
      });
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      answers.push(patched.body);
    }
    const list = await project.client.get(`/api/v1/projects/${project.id}/sources?limit=100`);
    assert.equal(list.status, 200);
    assert.equal(list.body.data.length, verifiers.length);
    answers.push(list.body);

    const shown = JSON.stringify(answers);
    for (const secret of Object.values(secrets)) assert.ok(!shown.includes(secret), `${secret} was returned`);
    const byType = Object.fromEntries(
      list.body.data.map((source: any) => [source.verifier.type, source.verifier]),
    );
    assert.deepEqual(byType.hmac, { type: 'hmac', header: 'X-Sig', hash: 'sha256', encoding: 'hex' });
    assert.deepEqual(byType.api_key, { type: 'api_key', header_name: 'X-Api-Key' });
    assert.deepEqual(byType.basic_auth, { type: 'basic_auth' });
    assert.deepEqual(byType.github, { type: 'github' });

    const { rows } = await caravan.db.query(
      `SELECT row_to_json(s)::text AS row FROM sources s WHERE project_id = $1`,
      [project.id],
    );
    const dump = rows.map((row: { row: string }) => row.row).join('\n');
    for (const secret of Object.values(secrets))
      assert.ok(!dump.includes(secret), `${secret} is stored in clear`);
    assert.match(dump, /enc:v1:/);
  });

  it('refuses invalid sources with 400 naming the field', async () => {
    const project = await caravan.createProject();
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'name'],
      [{ name: 'x', type: 'ftp' }, 'type'],
      [{ name: 'x', verifier: { type: 'md5', secret: 's' } }, 'verifier.type'],
      [{ name: 'x', verifier: { type: 'hmac', header: 'X-Sig' } }, 'verifier.secret'],
      [{ name: 'x', verifier: { type: 'hmac', secret: 's' } }, 'verifier.header'],
      [{ name: 'x', verifier: { type: 'hmac', header: 'X-Sig', secret: 's', hash: 'md5' } }, 'verifier.hash'],
      [{ name: 'x', verifier: { type: 'github', secret: 's', header: 'X-Other' } }, 'verifier.header'],
      [{ name: 'x', verifier: { type: 'basic_auth', username: 'u' } }, 'verifier.password'],
      [
        { name: 'x', verifier: { type: 'api_key', header_name: 'bad header', header_value: 'v' } },
        'verifier.header_name',
      ],
      [{ name: 'x', verifier: { type: 'standard-webhooks', secret: 'whsec_not*base64' } }, 'verifier.secret'],
      [{ name: 'x', verifier: { type: 'none', colour: 'red' } }, 'verifier.colour'],
      [{ name: 'x', idempotency_header: 'has space' }, 'idempotency_header'],
      [{ name: 'x', response: { status_code: 500 } }, 'response.status_code'],
      [
        { name: 'x', response: { status_code: 200, content_type: 'text\r\nX-Injected: 1' } },
        'response.content_type',
      ],
      [{ name: 'x', mapping: { event_type_path: 'a..b' } }, 'mapping.event_type_path'],
      [{ name: 'x', body_limit_bytes: 10 }, 'body_limit_bytes'],
      [
        { name: 'x', broker: { sqs: { queue_url: 'https://sqs.example.com/q', region: 'eu-west-1' } } },
        'broker',
      ],
      [{ name: 'x', type: 'sqs' }, 'broker'],
      [
        { name: 'x', type: 'sqs', broker: { kafka: { brokers: ['k:9092'], topic: 't', group_id: 'g' } } },
        'broker.kafka',
      ],
    ];
    for (const [body, field] of cases) {
      const response = await project.client.post(`/api/v1/projects/${project.id}/sources`, body);
      assertApiError(response, { status: 400, field }, JSON.stringify(body));
    }
  });

  it("answers 404 for another project's source, and for a subscription that names one", async () => {
    const owner = await caravan.createProject();
    const other = await caravan.createProject();
    const source = await createSource(owner, { name: 'owned' });
    const sources = (project: TestProject, id: string) => `/api/v1/projects/${project.id}/sources/${id}`;

    for (const response of [
      await other.client.get(sources(other, source.id)),
      await other.client.patch(sources(other, source.id), { name: 'taken' }),
      await other.client.delete(sources(other, source.id)),
      await owner.client.get(sources(owner, UNKNOWN_ID)),
    ]) {
      assertApiError(response, { status: 404, field: 'source_id' });
    }
    assertApiError(await other.client.get(sources(owner, source.id)), { status: 404, field: 'project_id' });
    assertApiError(await owner.client.get(sources(owner, 'not-an-id')), { status: 400, field: 'source_id' });

    const endpoint = await createEndpoint(other.client, other.id, { url: receiver.url('/isolation') });
    const foreign = await other.client.post(`/api/v1/projects/${other.id}/subscriptions`, {
      endpoint_id: endpoint.id,
      source_id: source.id,
    });
    assertApiError(foreign, { status: 404, field: 'source_id' });
    const own = await subscribeToSource(other, endpoint.id, undefined);
    assert.equal(own.source_id, null);
    assertApiError(
      await other.client.patch(`/api/v1/projects/${other.id}/subscriptions/${own.id}`, {
        source_id: source.id,
      }),
      { status: 404, field: 'source_id' },
    );
    assertApiError(
      await other.client.post(`/api/v1/projects/${other.id}/subscriptions`, {
        endpoint_id: endpoint.id,
        source_id: 'x',
      }),
      { status: 400, field: 'source_id' },
    );

    assert.equal(
      (await owner.client.get(sources(owner, source.id))).body.name,
      'owned',
      'untouched by the other project',
    );
  });

  it("sets and clears a subscription's source, and deleting the source deletes its subscriptions", async () => {
    const project = await caravan.createProject();
    const source = await createSource(project, { name: 'temporary' });
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/temporary') });
    const subscriptions = `/api/v1/projects/${project.id}/subscriptions`;
    const plain = await subscribeToSource(project, endpoint.id, undefined);
    const patched = await project.client.patch(`${subscriptions}/${plain.id}`, { source_id: source.id });
    assert.equal(patched.body.source_id, source.id);
    const cleared = await project.client.patch(`${subscriptions}/${plain.id}`, { source_id: null });
    assert.equal(cleared.body.source_id, null);
    const bound = await subscribeToSource(project, endpoint.id, source.id);
    assert.equal(bound.source_id, source.id);

    assert.equal(
      (await project.client.delete(`/api/v1/projects/${project.id}/sources/${source.id}`)).status,
      204,
    );
    assert.equal((await project.client.get(`${subscriptions}/${bound.id}`)).status, 404);
    assert.equal((await project.client.get(`${subscriptions}/${plain.id}`)).status, 200);
    assert.equal((await ingest(source.mask_id, '{}', { 'content-type': 'application/json' })).status, 404);
  });

  it('documents the public ingest route and the sources routes in the OpenAPI document', async () => {
    const document = (await caravan.rootClient().get('/docs/openapi.json')).body;
    const ingestRoute = document.paths['/ingest/{mask_id}'].post;
    assert.ok(ingestRoute, 'POST /ingest/{mask_id}');
    assert.ok(!ingestRoute.security || ingestRoute.security.length === 0, 'no API key');
    for (const status of ['200', '401', '404', '413']) assert.ok(ingestRoute.responses[status], status);
    assert.ok(document.paths['/api/v1/projects/{project_id}/sources'].post);
    assert.ok(document.paths['/api/v1/projects/{project_id}/sources/{source_id}'].patch);
  });

  it('still answers 415 for form and text bodies on the API routes', async () => {
    const project = await caravan.createProject();
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
      const response = await project.client.request(
        'POST',
        `/api/v1/projects/${project.id}/events`,
        'event_type=x',
        { 'content-type': contentType },
      );
      assertApiError(response, { status: 415, message: 'send the request body as application/json' });
    }
  });
});
