import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { ApiClient } from './support/api-client';
import { assertApiError } from './support/api-error';
import { CaravanProcess } from './support/caravan-process';
import { createEndpoint, sendEvent, settledDeliveries, subscribe } from './support/fixtures';
import { Receiver } from './support/receiver';
import { externalOnly, TestCaravan, TestProject } from './support/test-caravan';
import { waitFor } from './support/wait-for';
import { FauxqsServer, sqsClient, startSqsServer, TEST_CREDENTIALS, TEST_REGION } from '../libs/sources/src/brokers/testing/sqs-test-server';

const INVOICE_SCHEMA = {
  type: 'object',
  required: ['invoice_id', 'amount'],
  properties: {
    invoice_id: { type: 'string', minLength: 1 },
    amount: { type: 'integer', minimum: 0 },
    currency: { enum: ['EUR', 'USD'] },
    lines: { type: 'array', items: { type: 'object', required: ['sku'], properties: { sku: { type: 'string' } } } },
  },
};

describe('event types: a catalogue with JSON Schemas that ingest enforces (real api, agent, receiver and SQS server)', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;

  before(async () => {
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    await caravan.startApi();
    await caravan.startAgent();
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
  });

  const typesOf = (project: TestProject) => `/api/v1/projects/${project.id}/event-types`;

  async function register(project: TestProject, body: Record<string, unknown>): Promise<any> {
    const created = await project.client.post(typesOf(project), body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    return created.body;
  }

  async function storedEventCount(projectId: string, eventType: string): Promise<number> {
    const { rows } = await caravan.query(`SELECT count(*)::int AS n FROM events WHERE project_id = $1 AND event_type = $2`, [projectId, eventType]);
    return rows[0].n;
  }

  it('registers, reads, lists, changes and deletes event types', async () => {
    const project = await caravan.createProject();
    const api = project.client;
    const created = await register(project, {
      name: 'invoice.paid',
      description: 'An invoice was paid in full.',
      category: 'billing',
      schema: INVOICE_SCHEMA,
    });
    assert.deepEqual(Object.keys(created).sort(), ['category', 'created_at', 'deprecated', 'description', 'name', 'project_id', 'schema', 'updated_at']);
    assert.equal(created.project_id, project.id);
    assert.equal(created.deprecated, false);
    assert.deepEqual(created.schema, INVOICE_SCHEMA);
    assert.deepEqual(Object.keys(created.schema.properties), ['invoice_id', 'amount', 'currency', 'lines'], 'keys come back in the order written');

    const bare = await register(project, { name: 'invoice.voided' });
    assert.deepEqual([bare.description, bare.category, bare.schema, bare.deprecated], ['', null, null, false]);
    await register(project, { name: 'customer.created', category: 'customers' });

    assertApiError(await api.post(typesOf(project), { name: 'invoice.paid' }), { status: 409, field: 'name', message: 'event type invoice.paid already exists' });
    assertApiError(await api.post(typesOf(project), { name: 'invoice paid!' }), { status: 400, field: 'name' });
    assertApiError(await api.post(typesOf(project), {}), { status: 400, field: 'name' });
    assertApiError(await api.post(typesOf(project), { name: 'a.b', schema: [{ type: 'object' }] }), { status: 400, field: 'schema' });
    assertApiError(await api.post(typesOf(project), { name: 'a.b', deprecated: 'yes' }), { status: 400, field: 'deprecated' });
    assertApiError(await api.post(typesOf(project), { name: 'a.b', owner: 'x' }), { status: 400, field: 'owner' });

    const read = await api.get(`${typesOf(project)}/invoice.paid`);
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, created);
    assertApiError(await api.get(`${typesOf(project)}/invoice.refunded`), { status: 404, field: 'name', message: 'event type not found' });
    assertApiError(await api.get(`${typesOf(project)}/${encodeURIComponent('no spaces')}`), { status: 400, field: 'name' });

    const first = await api.get(`${typesOf(project)}?limit=2`);
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.data.map((type: any) => type.name), ['customer.created', 'invoice.voided'], 'newest first');
    const second = await api.get(`${typesOf(project)}?limit=2&cursor=${first.body.next_cursor}`);
    assert.deepEqual(second.body.data.map((type: any) => type.name), ['invoice.paid']);
    assert.equal(second.body.next_cursor, null);
    const billing = await api.get(`${typesOf(project)}?category=billing`);
    assert.deepEqual(billing.body.data.map((type: any) => type.name), ['invoice.paid']);
    assertApiError(await api.get(`${typesOf(project)}?limit=101`), { status: 400, field: 'limit' });

    const changed = await api.patch(`${typesOf(project)}/invoice.paid`, { description: 'Paid.', category: null, deprecated: true });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual([changed.body.description, changed.body.category, changed.body.deprecated], ['Paid.', null, true]);
    assert.deepEqual(changed.body.schema, INVOICE_SCHEMA, 'what is not given is kept');
    assert.ok(changed.body.updated_at > created.updated_at);
    const cleared = await api.patch(`${typesOf(project)}/invoice.paid`, { schema: null });
    assert.equal(cleared.body.schema, null);
    assertApiError(await api.patch(`${typesOf(project)}/invoice.paid`, { name: 'invoice.settled' }), { status: 400, field: 'name' });
    assertApiError(await api.patch(`${typesOf(project)}/invoice.paid`, { description: null }), { status: 400, field: 'description' });
    assertApiError(await api.patch(`${typesOf(project)}/invoice.refunded`, { description: 'x' }), { status: 404, field: 'name' });

    assert.equal((await api.delete(`${typesOf(project)}/invoice.voided`)).status, 204);
    assertApiError(await api.delete(`${typesOf(project)}/invoice.voided`), { status: 404, field: 'name' });
    assertApiError(await api.get(`${typesOf(project)}/invoice.voided`), { status: 404, field: 'name' });

    assertApiError(await new ApiClient(caravan.api!.url).get(typesOf(project)), { status: 401 });
    assert.equal((await caravan.rootClient().get(`${typesOf(project)}/invoice.paid`)).status, 200, 'the root key reaches every project');
  });

  it('refuses a schema that is not a usable JSON Schema with 400 naming schema and the compiler message, storing nothing', async () => {
    const project = await caravan.createProject();
    const cases: [unknown, RegExp][] = [
      [{ type: 'integr' }, /^schema\.type must be equal to one of the allowed values/],
      [{ type: 'object', requried: ['amount'] }, /unknown keyword: "requried"/],
      [{ type: 'string', format: 'emial' }, /unknown format "emial"/],
      [{ $ref: 'https://schemas.example.com/invoice.json' }, /can't resolve reference/],
      [{ type: 'string', pattern: '^(a+)+$' }, /repeats a group that itself repeats/],
      [{ $schema: 'http://json-schema.org/draft-04/schema#' }, /^\$schema must be/],
      [{ description: 'x'.repeat(70_000) }, /at most 65536 bytes/],
    ];
    for (const [schema, message] of cases) {
      assertApiError(await project.client.post(typesOf(project), { name: 'order.created', schema }), { status: 400, field: 'schema', message }, JSON.stringify(schema).slice(0, 80));
    }
    assertApiError(await project.client.get(`${typesOf(project)}/order.created`), { status: 404, field: 'name' });

    await register(project, { name: 'order.created', schema: { type: 'object' } });
    assertApiError(await project.client.patch(`${typesOf(project)}/order.created`, { schema: { type: 'objekt' } }), { status: 400, field: 'schema' });
    assert.deepEqual((await project.client.get(`${typesOf(project)}/order.created`)).body.schema, { type: 'object' }, 'unchanged');
    const draft07 = await project.client.patch(`${typesOf(project)}/order.created`, {
      schema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', definitions: { id: { type: 'string' } }, properties: { id: { $ref: '#/definitions/id' } } },
    });
    assert.equal(draft07.status, 200, JSON.stringify(draft07.body));
  });

  it('refuses an event that breaks its type schema with 400 naming the path, storing and delivering nothing; valid ones are delivered', async () => {
    const project = await caravan.createProject();
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/schema/invoices') });
    await subscribe(project.client, project.id, endpoint.id, ['invoice.*']);
    await register(project, { name: 'invoice.paid', schema: INVOICE_SCHEMA });
    await register(project, { name: 'invoice.noted', description: 'no schema: not checked' });
    const events = `/api/v1/projects/${project.id}/events`;

    const refusals: [unknown, string, RegExp][] = [
      [{ invoice_id: 'inv_1', amount: -5 }, 'data.amount', /^data\.amount must be >= 0 \(schema of event type invoice\.paid\)$/],
      [{ invoice_id: 'inv_1', amount: '12' }, 'data.amount', /^data\.amount must be integer/],
      [{ invoice_id: 'inv_1' }, 'data.amount', /^data\.amount is required/],
      [{ invoice_id: 'inv_1', amount: 1, currency: 'GBP' }, 'data.currency', /must be one of "EUR", "USD"/],
      [{ invoice_id: 'inv_1', amount: 1, lines: [{ sku: 'a' }, { qty: 2 }] }, 'data.lines.1.sku', /^data\.lines\.1\.sku is required/],
    ];
    for (const [data, field, message] of refusals) {
      assertApiError(await project.client.post(events, { event_type: 'invoice.paid', data }), { status: 400, field, message }, JSON.stringify(data));
    }
    assertApiError(
      await project.client.post(events, { event_type: 'invoice.paid', data: { invoice_id: 'inv_9', amount: 'x' }, idempotency_key: 'k-1' }),
      { status: 400, field: 'data.amount' },
      'with an idempotency key too',
    );
    assert.equal(await storedEventCount(project.id, 'invoice.paid'), 0, 'nothing stored');

    const valid = await sendEvent(project.client, project.id, { event_type: 'invoice.paid', data: { invoice_id: 'inv_1', amount: 4200, currency: 'EUR' } });
    const unchecked = await sendEvent(project.client, project.id, { event_type: 'invoice.noted', data: { anything: true } });
    const unregistered = await sendEvent(project.client, project.id, { event_type: 'invoice.sent', data: { amount: 'not an integer' } });
    for (const event of [valid, unchecked, unregistered]) {
      const deliveries = await settledDeliveries(project.client, project.id, event.id);
      assert.deepEqual(deliveries.map((delivery) => delivery.status), ['success']);
    }
    const received = receiver.requestsFor('/schema/invoices');
    assert.deepEqual(received.map((request) => request.headers['x-caravan-event-id']).sort(), [valid.id, unchecked.id, unregistered.id].sort(), 'no refused event was delivered');
    assert.deepEqual(JSON.parse(received.find((request) => request.headers['x-caravan-event-id'] === valid.id)!.body), { invoice_id: 'inv_1', amount: 4200, currency: 'EUR' });
  });

  it('applies a schema change, a removed schema and a deleted type to the very next event', async () => {
    const project = await caravan.createProject();
    const events = `/api/v1/projects/${project.id}/events`;
    const send = (data: unknown) => project.client.post(events, { event_type: 'user.created', data });

    assert.equal((await send({ email: 'not an email' })).status, 202, 'not registered yet');
    await register(project, { name: 'user.created', schema: { type: 'object', properties: { email: { type: 'string', format: 'email' } } } });
    assertApiError(await send({ email: 'not an email' }), { status: 400, field: 'data.email', message: /must match format "email"/ });
    assert.equal((await send({ email: 'ada@example.com' })).status, 202);

    await project.client.patch(`${typesOf(project)}/user.created`, { schema: { type: 'object', required: ['id'] } });
    assert.equal((await send({ email: 'not an email' , id: 1 })).status, 202, 'the old rule is gone');
    assertApiError(await send({ email: 'ada@example.com' }), { status: 400, field: 'data.id' });

    await project.client.patch(`${typesOf(project)}/user.created`, { schema: null });
    assert.equal((await send({})).status, 202, 'no schema: not checked');
    await project.client.patch(`${typesOf(project)}/user.created`, { schema: { type: 'object', required: ['id'] } });
    assertApiError(await send({}), { status: 400, field: 'data.id' });
    assert.equal((await project.client.delete(`${typesOf(project)}/user.created`)).status, 204);
    assert.equal((await send({})).status, 202, 'deleted: not checked');
  });

  it('applies a change made through one api process to another within a second', { skip: externalOnly('one process is all the embedded mode runs') }, async () => {
    const project = await caravan.createProject();
    const other = await CaravanProcess.start('api', caravan.environment());
    try {
      const otherClient = new ApiClient(other.url, project.key);
      const events = `/api/v1/projects/${project.id}/events`;
      const send = () => otherClient.post(events, { event_type: 'plan.changed', data: { plan: 7 } });
      assert.equal((await send()).status, 202, 'the other api has read the empty catalogue');
      const registeredAt = Date.now();
      await register(project, { name: 'plan.changed', schema: { type: 'object', properties: { plan: { type: 'string' } } } });
      await waitFor('the other api to refuse the event', async () => (await send()).status === 400, 5_000, 50);
      assert.ok(Date.now() - registeredAt < 2_500, `took ${Date.now() - registeredAt} ms`);
      assertApiError(await send(), { status: 400, field: 'data.plan' });
    } finally {
      await other.stop();
    }
  });

  it('keeps each project to its own catalogue', async () => {
    const alice = await caravan.createProject();
    const bob = await caravan.createProject();
    await register(alice, { name: 'invoice.paid', schema: INVOICE_SCHEMA });

    assertApiError(await bob.client.get(`${typesOf(alice)}/invoice.paid`), { status: 404, field: 'project_id' });
    assertApiError(await bob.client.get(typesOf(alice)), { status: 404, field: 'project_id' });
    assertApiError(await bob.client.post(typesOf(alice), { name: 'x.y' }), { status: 404, field: 'project_id' });
    assertApiError(await bob.client.patch(`${typesOf(alice)}/invoice.paid`, { schema: null }), { status: 404, field: 'project_id' });
    assertApiError(await bob.client.delete(`${typesOf(alice)}/invoice.paid`), { status: 404, field: 'project_id' });
    assertApiError(await bob.client.get(`${typesOf(bob)}/invoice.paid`), { status: 404, field: 'name' });
    assert.deepEqual((await bob.client.get(typesOf(bob))).body, { data: [], next_cursor: null });

    await sendEvent(bob.client, bob.id, { event_type: 'invoice.paid', data: { amount: 'alice would refuse this' } });
    await register(bob, { name: 'invoice.paid', schema: { type: 'object', required: ['bob'] } });
    assertApiError(await bob.client.post(`/api/v1/projects/${bob.id}/events`, { event_type: 'invoice.paid', data: { invoice_id: 'a', amount: 1 } }), { status: 400, field: 'data.bob' });
    await sendEvent(alice.client, alice.id, { event_type: 'invoice.paid', data: { invoice_id: 'a', amount: 1 } });
    assert.deepEqual((await alice.client.get(`${typesOf(alice)}/invoice.paid`)).body.schema, INVOICE_SCHEMA, "bob's registration changed nothing of alice's");
  });

  it('answers an HTTP source 400 naming the path for a body that breaks the schema, and keeps it as an ingest error', async () => {
    const project = await caravan.createProject();
    const created = await project.client.post(`/api/v1/projects/${project.id}/sources`, { name: 'billing provider', mapping: { event_type_path: 'type' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const source = created.body;
    await register(project, { name: 'charge.succeeded', schema: { type: 'object', required: ['type', 'amount'], properties: { amount: { type: 'integer' } } } });
    const ingest = async (body: unknown) => {
      const response = await fetch(`${caravan.api!.url}/ingest/${source.mask_id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json(), headers: response.headers };
    };

    const refused = await ingest({ type: 'charge.succeeded', amount: '12.00' });
    assertApiError(refused, { status: 400, field: 'data.amount', message: 'data.amount must be integer (schema of event type charge.succeeded)' });
    assert.equal(await storedEventCount(project.id, 'charge.succeeded'), 0);
    const errors = await project.client.get(`/api/v1/projects/${project.id}/sources/${source.id}/ingest-errors`);
    assert.deepEqual(errors.body.data.map((error: any) => [error.reason, error.payload]), [
      ['data.amount must be integer (schema of event type charge.succeeded)', JSON.stringify({ type: 'charge.succeeded', amount: '12.00' })],
    ]);

    const accepted = await ingest({ type: 'charge.succeeded', amount: 1200 });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(await storedEventCount(project.id, 'charge.succeeded'), 1);
  });

  it('documents the routes and the event type shape in the OpenAPI document', async () => {
    const document = await new ApiClient(caravan.api!.url).get('/docs/openapi.json');
    assert.equal(document.status, 200);
    const base = '/api/v1/projects/{project_id}/event-types';
    assert.deepEqual(Object.keys(document.body.paths[base]).sort(), ['get', 'post']);
    assert.deepEqual(Object.keys(document.body.paths[`${base}/{name}`]).sort(), ['delete', 'get', 'patch']);
    assert.deepEqual(
      Object.keys(document.body.components.schemas.EventTypeResponse.properties).sort(),
      ['category', 'created_at', 'deprecated', 'description', 'name', 'project_id', 'schema', 'updated_at'],
    );
    assert.ok(document.body.paths[base].post.responses['409'], 'the duplicate-name answer is documented');
  });

  describe('broker sources', () => {
    let sqs: { server: FauxqsServer; endpoint: string };
    let client: SQSClient;

    before(async () => {
      sqs = await startSqsServer();
      client = sqsClient(sqs.endpoint);
    });

    after(async () => {
      client?.destroy();
      await sqs?.server.stop();
    });

    it('keeps a message that breaks the schema as an ingest error and acknowledges it, rather than redelivering it forever', async () => {
      const project = await caravan.createProject();
      const queueUrl = (await client.send(new CreateQueueCommand({ QueueName: `typed-${Date.now()}` }))).QueueUrl!;
      await register(project, { name: 'order.placed', schema: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } } });
      const created = await project.client.post(`/api/v1/projects/${project.id}/sources`, {
        name: 'orders queue',
        type: 'sqs',
        broker: {
          workers: 1,
          sqs: { queue_url: queueUrl, region: TEST_REGION, endpoint: sqs.endpoint, access_key_id: TEST_CREDENTIALS.accessKeyId, secret_access_key: TEST_CREDENTIALS.secretAccessKey },
        },
        mapping: { event_type_path: 'type' },
      });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const source = created.body;

      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ type: 'order.placed', id: 'one' }) }));
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ type: 'order.placed', id: 2 }) }));

      const errors = await waitFor('the refused message to be recorded', async () => {
        const listed = await project.client.get(`/api/v1/projects/${project.id}/sources/${source.id}/ingest-errors`);
        return listed.body.data.length > 0 && listed.body.data;
      }, 20_000);
      assert.deepEqual(errors.map((error: any) => error.reason), ['data.id must be integer (schema of event type order.placed)']);
      await waitFor('the valid message to be stored', async () => (await storedEventCount(project.id, 'order.placed')) === 1, 20_000);
      await waitFor('both messages to be acknowledged', async () => {
        const { Attributes } = await client.send(
          new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
        );
        return Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible) === 0;
      }, 10_000);
      const { rows } = await caravan.query(`SELECT payload FROM events WHERE project_id = $1`, [project.id]);
      assert.deepEqual(rows.map((row: any) => JSON.parse(row.payload)), [{ type: 'order.placed', id: 2 }]);
      assert.equal((await project.client.get(`/api/v1/projects/${project.id}/sources/${source.id}/ingest-errors`)).body.data.length, 1, 'recorded once, not redelivered');
      assert.equal((await project.client.delete(`/api/v1/projects/${project.id}/sources/${source.id}`)).status, 204);
    });
  });
});
