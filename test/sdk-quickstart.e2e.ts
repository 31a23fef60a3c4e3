import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  createApiKey,
  createCaravanClient,
  createEndpoint,
  createEvent,
  createProject,
  createSubscription,
  listDeliveries,
  listDeliveryAttempts,
  type SignatureOptions,
  verifyWebhook,
} from '@caravan/sdk';
import { Receiver } from './support/receiver';
import { TestCaravan } from './support/test-caravan';
import { waitFor } from './support/wait-for';

/** What every generated function resolves to: the parsed answer, or the parsed error, and the response. */
interface SdkResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's body, once its status is the expected one; the error body otherwise shows in the failure. */
function answered<T>(result: SdkResult<T>, status: number): T {
  assert.equal(result.response.status, status, `answer: ${JSON.stringify(result.error ?? result.data)}`);
  assert.ok(result.data !== undefined, 'the answer has a body');
  return result.data;
}

describe('the README quickstart through @caravan/sdk (real api, agent and HTTP receiver)', () => {
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

  it('creates a project, a key, an endpoint and a subscription, sends an event, reads its attempt and verifies the webhook', async () => {
    const baseUrl = caravan.api!.url;
    const root = createCaravanClient({ baseUrl, apiKey: caravan.rootKey });

    const project = answered(await createProject({ client: root, body: { name: 'Billing webhooks' } }), 201);
    assert.equal(project.name, 'Billing webhooks');
    const key = answered(await createApiKey({ client: root, path: { project_id: project.id }, body: { name: 'quickstart' } }), 201);
    assert.match(key.key, /^cv_/);

    const client = createCaravanClient({ baseUrl, apiKey: key.key });
    const path = { project_id: project.id };
    const secret = 'whsec_quickstart_0123456789';
    const endpoint = answered(
      await createEndpoint({ client, path, body: { name: 'acme billing', url: receiver.url('/webhook'), secret } }),
      201,
    );
    assert.equal(endpoint.status, 'active');
    const subscription = answered(
      await createSubscription({ client, path, body: { name: 'invoices', endpoint_id: endpoint.id, event_types: ['invoice.*'] } }),
      201,
    );
    assert.deepEqual(subscription.event_types, ['invoice.*']);

    const data = { invoice_id: 'inv_1001', amount: 4200, currency: 'EUR' };
    const event = answered(await createEvent({ client, path, body: { event_type: 'invoice.paid', data } }), 202);
    assert.equal(event.event_type, 'invoice.paid');

    const delivery = await waitFor('the delivery to succeed', async () => {
      const page = answered(await listDeliveries({ client, path, query: { event_id: event.id } }), 200);
      return page.data.find((candidate) => candidate.status === 'success');
    });
    assert.equal(delivery.endpoint_id, endpoint.id);
    assert.equal(delivery.subscription_id, subscription.id);
    const attempts = answered(
      await listDeliveryAttempts({ client, path: { project_id: project.id, delivery_id: delivery.id } }),
      200,
    ).data;
    assert.equal(attempts.length, 1);
    assert.equal(attempts[0].attempt_number, 1);
    assert.equal(attempts[0].response?.status_code, 200);
    assert.equal(attempts[0].request.url, receiver.url('/webhook'));

    const [webhook] = receiver.requestsFor('/webhook');
    assert.equal(webhook.body, JSON.stringify(data));
    assert.equal(webhook.headers['x-caravan-event-id'], event.id);
    const signature = project.config.signature as SignatureOptions;
    assert.deepEqual(verifyWebhook({ ...signature, secret, body: webhook.body, headers: webhook.headers }), { ok: true });
    const tampered = verifyWebhook({ ...signature, secret, body: webhook.body.replace('4200', '1'), headers: webhook.headers });
    assert.equal(tampered.ok, false, 'a changed body does not verify');
  });

  it('answers API errors as typed error bodies, not exceptions', async () => {
    const anonymous = createCaravanClient({ baseUrl: caravan.api!.url, apiKey: 'cv_wrong_key' });
    const refused = await createProject({ client: anonymous, body: { name: 'nope' } });
    assert.equal(refused.response.status, 401);
    assert.equal(refused.data, undefined);
    assert.equal(refused.error?.status, 401);

    const project = await caravan.createProject();
    const client = createCaravanClient({ baseUrl: caravan.api!.url, apiKey: project.key });
    const invalid = await createEndpoint({
      client,
      path: { project_id: project.id },
      body: { name: 'bad', url: 'not a url' },
    });
    assert.equal(invalid.response.status, 400, JSON.stringify(invalid.error));
    assert.equal(invalid.error?.field, 'url');
  });
});
