import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { ApiClient } from './support/api-client';
import { CaravanProcess } from './support/caravan-process';
import { createEndpoint, deliveriesOf, sendEvent, subscribe } from './support/fixtures';
import { Receiver } from './support/receiver';
import { EMBEDDED, TestCaravan } from './support/test-caravan';
import { waitFor } from './support/wait-for';

const ROOT_KEY = /(cvr_[a-z2-9]{8}_[A-Za-z0-9_-]{43})/;

async function allSucceeded(client: ApiClient, projectId: string, eventIds: string[], timeoutMs: number): Promise<any[]> {
  return waitFor(
    `${eventIds.length} deliveries to succeed`,
    async () => {
      const deliveries = (await Promise.all(eventIds.map((id) => deliveriesOf(client, projectId, id)))).flat();
      return deliveries.length === eventIds.length && deliveries.every((d) => d.status === 'success') && deliveries;
    },
    timeoutMs,
    200,
  );
}

// Its own Caravan on its own data directory, whatever storage the other suites use: run once, in the embedded pass.
describe('the embedded mode: PGlite and an in-process queue in one process', { skip: !EMBEDDED && 'runs in the embedded pass of the suite' }, () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  let running: CaravanProcess | undefined;
  let root: ApiClient;
  let port = '0';
  // As a newcomer runs it: no root key, no encryption key, nothing but a data directory.
  const bare = () => caravan.environment({ CARAVAN_ROOT_API_KEY: '', CARAVAN_ENCRYPTION_KEY: '', CARAVAN_API_PORT: port });
  const start = async () => {
    running = await CaravanProcess.start('standalone', bare(), 40_000);
    port = new URL(running.url).port;
    return running;
  };

  before(async () => {
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
  });

  after(async () => {
    await running?.stop();
    await caravan?.destroy();
    await receiver?.stop();
  });

  it('starts with nothing configured and says where it runs, where data lives, and the root key, once', async () => {
    const first = await start();
    const dataDir = caravan.environment().CARAVAN_DATA_DIR;
    assert.match(first.output, /API\s+http:\/\/127\.0\.0\.1:\d+\/api\/v1/);
    assert.match(first.output, /Docs\s+http:\/\/127\.0\.0\.1:\d+\/docs/);
    assert.ok(first.output.includes(`Data   ${path.resolve(dataDir)} (embedded PostgreSQL`), first.output);
    assert.match(first.output, /This is the embedded mode: one process.*\n.*set DATABASE_URL and REDIS_URL/);
    const key = ROOT_KEY.exec(first.output)?.[1];
    assert.ok(key, `a root key was printed:\n${first.output}`);
    root = new ApiClient(first.url, key);
    assert.equal((await root.get('/api/v1/projects')).status, 200);

    const ready = await root.get('/health/ready');
    assert.equal(ready.status, 200);
    assert.deepEqual(Object.keys(ready.body.info).sort(), ['postgres', 'queue']);
    assert.equal((await root.get('/docs/openapi.json')).status, 200);
  });

  it('keeps projects, endpoints and undelivered events over a restart, then delivers the events', async () => {
    let receiverUp = false;
    receiver.answer((request) => (request.path === '/restart' && !receiverUp ? { status: 503 } : { status: 200 }));
    const project = (await root.post('/api/v1/projects', { name: 'kept', config: { retry: { strategy: 'linear', interval_seconds: 0.3, retry_count: 100 } } })).body;
    const endpoint = await createEndpoint(root, project.id, { url: receiver.url('/restart') });
    await subscribe(root, project.id, endpoint.id, ['order.*']);
    const events = [];
    for (let i = 0; i < 3; i++) events.push(await sendEvent(root, project.id, { event_type: 'order.paid', data: { i } }));
    await waitFor('each event to have failed once', () => new Set(receiver.requestsFor('/restart').map((r) => JSON.parse(r.body).i)).size === 3, 15_000);

    await running!.stop();
    receiverUp = true;
    const second = await start();
    assert.doesNotMatch(second.output, /cvr_/, 'the root key is printed on the first start only');
    assert.equal((await root.get(`/api/v1/projects/${project.id}`)).body.name, 'kept');
    assert.equal((await root.get(`/api/v1/projects/${project.id}/endpoints/${endpoint.id}`)).body.url, receiver.url('/restart'));
    const deliveries = await allSucceeded(root, project.id, events.map((e) => e.id), 20_000);
    assert.ok(deliveries.every((d) => d.attempt_count >= 2), 'the failed attempts before the restart were kept');
  });

  it('delivers what it acknowledged before it was killed, rebuilding its queue from the database', async () => {
    const project = (await root.post('/api/v1/projects', { name: 'killed' })).body;
    receiver.answer((request) => (request.path === '/killed' ? { status: 200, delayMs: 3000 } : { status: 200 }));
    const endpoint = await createEndpoint(root, project.id, { url: receiver.url('/killed') });
    const events = await Promise.all(
      Array.from({ length: 5 }, (_, i) => sendEvent(root, project.id, { event_type: 'x', data: { i }, endpoint_id: endpoint.id })),
    );
    await running!.kill();
    receiver.answer(() => ({ status: 200 }));

    await start();
    await allSucceeded(root, project.id, events.map((e) => e.id), 20_000);
    const received = new Set(receiver.requestsFor('/killed').map((r) => JSON.parse(r.body).i));
    assert.equal(received.size, 5);
  });

  it('refuses a second process on the same data directory, and takes over the lock of a killed one', async () => {
    const second = await CaravanProcess.runToExit('standalone', caravan.environment({ CARAVAN_API_PORT: '0' }), 40_000);
    assert.equal(second.code, 1);
    assert.match(second.output, /another Caravan process \(pid \d+\) is using the embedded data directory/);
    assert.equal((await root.get('/health/ready')).status, 200, 'the first process is unharmed');

    await running!.kill();
    await start();
    assert.equal((await root.get('/api/v1/projects')).status, 200);
  });

  for (const kind of ['api', 'agent', 'migrate'] as const) {
    it(`refuses to run the ${kind} on its own without PostgreSQL and Redis`, async () => {
      const { code, output } = await CaravanProcess.runToExit(kind, caravan.environment());
      assert.equal(code, 1);
      assert.match(output, /runs on its own only with PostgreSQL and Redis: set DATABASE_URL and REDIS_URL/);
    });
  }
});
