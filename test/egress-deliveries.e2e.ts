import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CaravanProcess } from './support/caravan-process';
import { createEndpoint, sendEvent, settledDeliveries } from './support/fixtures';
import { attemptedConnections, networkGuardEnv } from './support/network-guard';
import { Receiver } from './support/receiver';
import { TestCaravan, TestProject } from './support/test-caravan';

const PROXY_TOKEN = 'egress-proxy-token-0123456789';

describe('deliveries under the egress policy: in the agent and through the real proxy', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  let project: TestProject;
  let proxy: CaravanProcess | undefined;
  let agent: CaravanProcess | undefined;

  // Two public-looking names that resolve to this machine: one allow-listed, one not.
  const names = {
    CARAVAN_EGRESS_STATIC_HOSTS: 'hooks.customer.test=127.0.0.1,allowed.customer.test=127.0.0.1',
  };

  before(async () => {
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    receiver.answer((request) => (request.path === '/redirect' ? { status: 302, headers: { location: 'http://10.0.0.5/internal' } } : { status: 200 }));
    await caravan.startApi();
    project = await caravan.createProject({ retry: { strategy: 'linear', interval_seconds: 0.2, retry_count: 3 } });
  });

  after(async () => {
    await agent?.stop();
    await proxy?.stop();
    await caravan?.destroy();
    await receiver?.stop();
  });

  const port = () => new URL(receiver.url()).port;

  it('refuses at the API an endpoint URL with a blocked literal address or credentials, naming the reason', async () => {
    for (const [url, reason] of [
      ['http://10.0.0.5/hook', /private address 10\.0\.0\.5/],
      ['http://169.254.169.254/latest/meta-data/', /169\.254\.169\.254/],
      ['http://167772165/', /http\(s\) URL|private address 10\.0\.0\.5/],
      ['http://[::ffff:10.1.2.3]/', /10\.1\.2\.3/],
      ['https://user:pass@example.com/hook', /credentials/],
    ] as const) {
      const response = await caravan.rootClient().post(`/api/v1/projects/${project.id}/endpoints`, { url });
      assert.equal(response.status, 400, `${url}: ${JSON.stringify(response.body)}`);
      assert.equal(response.body.field, 'url');
      assert.match(response.body.message, reason);
    }
  });

  it('in the agent: fails, without retrying, a delivery to a name that resolves to a loopback address when loopback is not allowed', async () => {
    agent = await caravan.startAgent({ ...names, CARAVAN_EGRESS_ALLOW_CIDRS: '', CARAVAN_EGRESS_ALLOWED_PORTS: 'any' });
    try {
      const endpoint = await createEndpoint(project.client, project.id, { url: `http://hooks.customer.test:${port()}/rebind` });
      const event = await sendEvent(project.client, project.id, { event_type: 'x', data: {}, endpoint_id: endpoint.id });
      const [delivery] = await settledDeliveries(project.client, project.id, event.id);
      assert.equal(delivery.status, 'failure');
      assert.equal(delivery.attempt_count, 1, `a refused destination is not retried: ${delivery.last_error}`);
      assert.equal(delivery.last_error, 'blocked by egress policy: hooks.customer.test resolves to loopback address 127.0.0.1');
      assert.equal(receiver.requestsFor('/rebind').length, 0);
    } finally {
      await agent.stop();
      agent = undefined;
    }
  });

  it('through the proxy: denies the name that resolves to loopback, delivers to the allow-listed one, and follows no redirect', async () => {
    proxy = await CaravanProcess.start('egress', {
      ...caravan.environment(names),
      ...networkGuardEnv(),
      CARAVAN_EGRESS_PORT: '0',
      CARAVAN_EGRESS_ALLOW_CIDRS: '',
      CARAVAN_EGRESS_ALLOW_HOSTS: 'allowed.customer.test',
      // Any port, so that the address is what decides (the receiver listens on a random port).
      CARAVAN_EGRESS_ALLOWED_PORTS: 'any',
      CARAVAN_EGRESS_PROXY_TOKEN: PROXY_TOKEN,
    });
    agent = await caravan.startAgent({ CARAVAN_EGRESS_PROXY_URL: proxy.url, CARAVAN_EGRESS_PROXY_TOKEN: PROXY_TOKEN, ...networkGuardEnv() });

    const denied = await createEndpoint(project.client, project.id, { url: `http://hooks.customer.test:${port()}/via-proxy-denied` });
    const allowed = await createEndpoint(project.client, project.id, { url: `http://allowed.customer.test:${port()}/via-proxy` });
    const redirecting = await createEndpoint(project.client, project.id, {
      url: `http://allowed.customer.test:${port()}/redirect`,
      retry: { retry_count: 0 },
    });
    const toDenied = await sendEvent(project.client, project.id, { event_type: 'x', data: { n: 1 }, endpoint_id: denied.id });
    const toAllowed = await sendEvent(project.client, project.id, { event_type: 'x', data: { n: 2 }, endpoint_id: allowed.id });
    const toRedirect = await sendEvent(project.client, project.id, { event_type: 'x', data: { n: 3 }, endpoint_id: redirecting.id });

    const [deniedDelivery] = await settledDeliveries(project.client, project.id, toDenied.id);
    assert.equal(deniedDelivery.status, 'failure');
    assert.equal(deniedDelivery.attempt_count, 1);
    assert.match(deniedDelivery.last_error, /^blocked by egress policy: /);
    assert.equal(receiver.requestsFor('/via-proxy-denied').length, 0);
    assert.match(proxy.output, /"decision":"denied".*hooks\.customer\.test.*loopback address 127\.0\.0\.1/);

    const [allowedDelivery] = await settledDeliveries(project.client, project.id, toAllowed.id);
    assert.equal(allowedDelivery.status, 'success');
    assert.equal(receiver.requestsFor('/via-proxy').length, 1);
    assert.equal(receiver.requestsFor('/via-proxy')[0].headers.host, `allowed.customer.test:${port()}`);

    const [redirectDelivery] = await settledDeliveries(project.client, project.id, toRedirect.id);
    assert.equal(redirectDelivery.status, 'failure');
    assert.equal(redirectDelivery.last_status_code, 302);

    // Neither process ever opened a connection beyond this machine: the agent only to the proxy.
    for (const process of [agent, proxy]) {
      for (const connection of attemptedConnections(process.output)) {
        assert.match(connection.host, /^(127\.|::1$|localhost$)/, `${process.kind} connected to ${connection.host}`);
      }
    }
    assert.ok(attemptedConnections(agent.output).every((c) => String(c.port) === new URL(proxy!.url).port || c.port === 5432 || c.port === 6379));
  });
});
