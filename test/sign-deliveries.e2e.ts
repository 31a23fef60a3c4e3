import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { SignatureOptions, verifyWebhook } from '@caravan/signatures';
import { Webhook } from 'standardwebhooks';
import { createEndpoint, sendEvent, settledDeliveries } from './support/fixtures';
import { ReceivedRequest, Receiver } from './support/receiver';
import { TestCaravan, TestProject } from './support/test-caravan';
import { makeTestCertificates, TestCertificates } from './support/test-certificates';
import { waitFor } from './support/wait-for';

type Scheme = { name: string; signature: Record<string, string>; secrets: [string, string, string] };

const WHSEC = (fill: string) => `whsec_${Buffer.alloc(32, fill).toString('base64')}`;

const SCHEMES: Scheme[] = [
  { name: 'simple sha256 hex', signature: { scheme: 'simple' }, secrets: ['simple-secret-one-111', 'simple-secret-two-222', 'simple-secret-three-33'] },
  {
    name: 'simple sha512 base64',
    signature: { scheme: 'simple', hash: 'sha512', encoding: 'base64', header: 'X-Hub-Signature' },
    secrets: ['sha512-secret-one-1111', 'sha512-secret-two-2222', 'sha512-secret-three-33'],
  },
  {
    name: 'advanced (Convoy) hex',
    signature: { scheme: 'advanced', header: 'X-Convoy-Signature' },
    secrets: ['advanced-secret-one-111', 'advanced-secret-two-222', 'advanced-secret-three-3'],
  },
  {
    name: 'advanced base64 sha512',
    signature: { scheme: 'advanced', hash: 'sha512', encoding: 'base64' },
    secrets: ['adv64-secret-one-11111', 'adv64-secret-two-22222', 'adv64-secret-three-333'],
  },
  { name: 'standard-webhooks', signature: { scheme: 'standard-webhooks' }, secrets: [WHSEC('a'), WHSEC('b'), WHSEC('c')] },
];

describe('signed deliveries a receiver can verify, through secret rotation (real processes and receivers)', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  let certificates: TestCertificates;

  before(async () => {
    certificates = makeTestCertificates();
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    await caravan.startApi();
    // The agent trusts the test CA the way any Node process would.
    await caravan.startAgent({ NODE_EXTRA_CA_CERTS: path.join(certificates.dir, 'ca.pem') });
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
    if (certificates) fs.rmSync(certificates.dir, { recursive: true, force: true });
  });

  async function deliverOne(project: TestProject, endpointId: string, pathName: string): Promise<ReceivedRequest> {
    const before = receiver.requestsFor(pathName).length;
    const event = await sendEvent(project.client, project.id, { event_type: 'signed', data: { at: Date.now() }, endpoint_id: endpointId });
    const [delivery] = await settledDeliveries(project.client, project.id, event.id);
    assert.equal(delivery.status, 'success');
    await waitFor('the request', () => receiver.requestsFor(pathName).length > before);
    return receiver.requestsFor(pathName).at(-1)!;
  }

  for (const scheme of SCHEMES) {
    it(`${scheme.name}: verifies with the endpoint secret, during a rotation window, and not after expiry`, async () => {
      const [first, second, third] = scheme.secrets;
      const project = await caravan.createProject({ signature: scheme.signature });
      const pathName = `/signed/${scheme.name.replace(/\W+/g, '-')}`;
      const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url(pathName), secret: first });
      const verify = (request: ReceivedRequest, secret: string) =>
        verifyWebhook({ ...(scheme.signature as unknown as SignatureOptions), secret, body: request.body, headers: request.headers as Record<string, string> });

      const initial = await deliverOne(project, endpoint.id, pathName);
      assert.deepEqual(verify(initial, first), { ok: true });
      assert.equal(verify(initial, second).ok, false);
      assert.equal(verify({ ...initial, body: initial.body.replace('at', 'At') }, first).ok, false, 'a tampered body fails');

      const rotate = (secret: string, hours: number) =>
        project.client.post(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}/expire_secret`, { secret, expiration_hours: hours });
      assert.equal((await rotate(second, 1)).status, 200);
      const revealed = await project.client.get(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}/secret`);
      assert.equal(revealed.body.secret, second);

      const during = await deliverOne(project, endpoint.id, pathName);
      assert.deepEqual(verify(during, second), { ok: true }, 'a receiver already holding the new secret accepts');
      if (scheme.signature.scheme === 'simple') {
        assert.equal(verify(during, first).ok, false, 'simple carries only the newest signature');
      } else {
        assert.deepEqual(verify(during, first), { ok: true }, 'a receiver still holding the old secret accepts');
      }

      assert.equal((await rotate(third, 0)).status, 200);
      const afterExpiry = await deliverOne(project, endpoint.id, pathName);
      assert.deepEqual(verify(afterExpiry, third), { ok: true });
      assert.equal(verify(afterExpiry, second).ok, false, 'an expired secret no longer signs');
      assert.equal(verify(afterExpiry, first).ok, false);
    });
  }

  it('signs standard-webhooks deliveries that the reference library verifies, unmodified', async () => {
    const secret = WHSEC('z');
    const project = await caravan.createProject({ signature: { scheme: 'standard-webhooks' } });
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/reference'), secret });
    const request = await deliverOne(project, endpoint.id, '/reference');
    assert.equal(request.headers['webhook-id'], request.headers['x-caravan-event-id']);
    const payload = new Webhook(secret).verify(request.body, request.headers as Record<string, string>);
    assert.deepEqual(payload, JSON.parse(request.body));
    assert.throws(() => new Webhook(WHSEC('y')).verify(request.body, request.headers as Record<string, string>));
  });

  it('refuses a secret a Standard Webhooks receiver could not use', async () => {
    const project = await caravan.createProject({ signature: { scheme: 'standard-webhooks' } });
    const response = await project.client.post(`/api/v1/projects/${project.id}/endpoints`, { url: receiver.url('/x'), secret: 'not-a-whsec-secret-at-all' });
    assert.equal(response.status, 400);
    assert.equal(response.body.field, 'secret');
    const generated = await createEndpoint(project.client, project.id, { url: receiver.url('/x') });
    const secret = (await project.client.get(`/api/v1/projects/${project.id}/endpoints/${generated.id}/secret`)).body.secret;
    assert.match(secret, /^whsec_/);
  });

  it('fails a delivery whose secret the scheme cannot use with the reason, instead of retrying it forever', async () => {
    const project = await caravan.createProject();
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/unsignable'), secret: 'whsec_not*valid*base64!!' });
    assert.equal((await caravan.rootClient().patch(`/api/v1/projects/${project.id}`, { config: { signature: { scheme: 'standard-webhooks' } } })).status, 200);
    const event = await sendEvent(project.client, project.id, { event_type: 'x', data: {}, endpoint_id: endpoint.id });
    const [delivery] = await settledDeliveries(project.client, project.id, event.id);
    assert.equal(delivery.status, 'failure');
    assert.equal(delivery.attempt_count, 1);
    assert.match(delivery.last_error, /^cannot sign the delivery: /);
    assert.equal(receiver.requestsFor('/unsignable').length, 0);
  });

  it('authenticates to endpoints with an API-key header or basic auth, and keeps the credentials out of the attempt log', async () => {
    const project = await caravan.createProject();
    const keyed = await createEndpoint(project.client, project.id, {
      url: receiver.url('/auth/key'),
      authentication: { type: 'api_key', header_name: 'X-Api-Key', header_value: 'api-key-value-9f8e7d' },
    });
    assert.deepEqual(keyed.authentication, { type: 'api_key', header_name: 'X-Api-Key' });
    const basic = await createEndpoint(project.client, project.id, {
      url: receiver.url('/auth/basic'),
      authentication: { type: 'basic', username: 'caravan-user', password: 'basic-password-1a2b3c' },
    });
    assert.deepEqual(basic.authentication, { type: 'basic' });

    const keyedRequest = await deliverOne(project, keyed.id, '/auth/key');
    assert.equal(keyedRequest.headers['x-api-key'], 'api-key-value-9f8e7d');
    const basicRequest = await deliverOne(project, basic.id, '/auth/basic');
    assert.equal(basicRequest.headers.authorization, `Basic ${Buffer.from('caravan-user:basic-password-1a2b3c').toString('base64')}`);

    const { rows } = await caravan.db.query(`SELECT request_headers::text AS headers FROM delivery_attempts WHERE project_id = $1`, [project.id]);
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.ok(!row.headers.includes('api-key-value-9f8e7d') && !row.headers.includes('Basic '), row.headers);
      assert.match(row.headers, /\[redacted\]/);
    }
  });

  it('presents the endpoint client certificate to an endpoint that requires mTLS', async () => {
    const requests: string[] = [];
    const server = https.createServer(
      { cert: certificates.serverCert, key: certificates.serverKey, ca: certificates.caCert, requestCert: true, rejectUnauthorized: true },
      (request, response) => {
        requests.push(String((request.socket as import('node:tls').TLSSocket).getPeerCertificate().subject?.CN));
        response.end('ok');
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/mtls`;
      const project = await caravan.createProject({ retry: { retry_count: 0 } });
      const withCertificate = await createEndpoint(project.client, project.id, {
        url,
        tls: { client_cert: certificates.clientCert, client_key: certificates.clientKey },
      });
      assert.equal(withCertificate.tls.subject, 'CN=caravan-agent');
      const without = await createEndpoint(project.client, project.id, { url });

      const accepted = await sendEvent(project.client, project.id, { event_type: 'x', data: {}, endpoint_id: withCertificate.id });
      assert.equal((await settledDeliveries(project.client, project.id, accepted.id))[0].status, 'success');
      assert.deepEqual(requests, ['caravan-agent']);
      const refused = await sendEvent(project.client, project.id, { event_type: 'x', data: {}, endpoint_id: without.id });
      assert.equal((await settledDeliveries(project.client, project.id, refused.id))[0].status, 'failure', 'no certificate, no delivery');

      const mismatched = await project.client.post(`/api/v1/projects/${project.id}/endpoints`, {
        url,
        tls: { client_cert: certificates.clientCert, client_key: certificates.serverKey },
      });
      assert.equal(mismatched.status, 400);
      assert.equal(mismatched.body.field, 'tls.client_key');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('keeps no secret or credential in clear text in the database', async () => {
    const { rows } = await caravan.db.query(`SELECT row_to_json(e)::text AS row FROM endpoints e`);
    assert.ok(rows.length > 5);
    const dump = rows.map((r: { row: string }) => r.row).join('\n');
    const plaintexts = [
      ...SCHEMES.flatMap((scheme) => scheme.secrets),
      'api-key-value-9f8e7d',
      'basic-password-1a2b3c',
      'caravan-user',
      certificates.clientKey.split('\n')[1],
    ];
    for (const plaintext of plaintexts) assert.ok(!dump.includes(plaintext), `found ${plaintext.slice(0, 12)}… in clear`);
    assert.match(dump, /enc:v1:/);
  });
});
