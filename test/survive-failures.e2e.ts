import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import Redis from 'ioredis';
import { ApiClient } from './support/api-client';
import { CaravanProcess } from './support/caravan-process';
import { createEndpoint, deliveriesOf, sendEvent } from './support/fixtures';
import { Receiver } from './support/receiver';
import { ExternalTestCaravan, externalOnly, TestCaravan, TestProject } from './support/test-caravan';
import { waitFor } from './support/wait-for';

/** Every delivery of these events reached success; returns them. */
async function allDelivered(project: TestProject, eventIds: string[], timeoutMs: number): Promise<any[]> {
  return waitFor(
    `${eventIds.length} events to be delivered`,
    async () => {
      const deliveries = (await Promise.all(eventIds.map((id) => deliveriesOf(project.client, project.id, id)))).flat();
      return deliveries.length === eventIds.length && deliveries.every((d) => d.status === 'success') && deliveries;
    },
    timeoutMs,
    250,
  );
}

describe('nothing acknowledged is lost (agent down, Redis jobs lost, agent killed mid-run)', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  let project: TestProject;

  before(async () => {
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    await caravan.startApi();
    project = await caravan.createProject({ retry: { strategy: 'linear', interval_seconds: 0.2, retry_count: 5 } });
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
  });

  it('delivers events acknowledged while no agent was running, once an agent starts', { skip: externalOnly('the api runs without an agent') }, async () => {
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/agent-down') });
    const events = [];
    for (let i = 0; i < 5; i++) {
      events.push(await sendEvent(project.client, project.id, { event_type: 'agent.down', data: { i }, endpoint_id: endpoint.id }));
    }
    const { rows } = await caravan.db.query(`SELECT count(*)::int AS n FROM events WHERE event_type = 'agent.down'`);
    assert.equal(rows[0].n, 5, 'acknowledged means stored');

    await caravan.startAgent();
    await allDelivered(project, events.map((e) => e.id), 15_000);
    const received = receiver.requestsFor('/agent-down').map((r) => JSON.parse(r.body).i).sort();
    assert.deepEqual(received, [0, 1, 2, 3, 4]);
  });

  it('delivers events whose queue jobs Redis lost, through the sweeper', { skip: externalOnly('Redis') }, async () => {
    await caravan.agent!.stop();
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/redis-lost') });
    const events = [];
    for (let i = 0; i < 3; i++) {
      events.push(await sendEvent(project.client, project.id, { event_type: 'redis.lost', data: { i }, endpoint_id: endpoint.id }));
    }
    // Redis forgets every job it held for this deployment.
    const external = caravan as ExternalTestCaravan;
    const redis = new Redis(external.redisUrl);
    const keys = await redis.keys(`${external.redisPrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();

    await caravan.startAgent();
    await allDelivered(project, events.map((e) => e.id), 15_000);
    assert.equal(receiver.requestsFor('/redis-lost').length, 3);
  });

  it('acknowledges events promptly while Redis is unreachable, and delivers them once an agent can sweep them', { skip: externalOnly('Redis') }, async () => {
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/redis-down') });
    const apiWithoutRedis = await CaravanProcess.start('api', caravan.environment({ REDIS_URL: 'redis://127.0.0.1:1/0' }));
    try {
      const client = new ApiClient(apiWithoutRedis.url, project.key);
      const started = Date.now();
      const event = await sendEvent(client, project.id, { event_type: 'redis.down', data: { ok: true }, endpoint_id: endpoint.id });
      assert.ok(Date.now() - started < 5000, 'answered without waiting for Redis');
      const ready = await client.get('/health/ready');
      assert.equal(ready.status, 503);
      assert.equal(ready.body.error.redis.status, 'down');

      await allDelivered(project, [event.id], 15_000);
      assert.equal(receiver.requestsFor('/redis-down').length, 1);
    } finally {
      await apiWithoutRedis.kill();
    }
  });

  it('loses no event when the agent is killed mid-run, and re-sends interrupted attempts with the same idempotency key', async () => {
    receiver.answer((request) => (request.path === '/killed' ? { status: 200, delayMs: 400 } : { status: 200 }));
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/killed'), http_timeout_seconds: 2 });
    const events = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        sendEvent(project.client, project.id, { event_type: 'agent.killed', data: { i }, endpoint_id: endpoint.id }),
      ),
    );
    await waitFor('the agent to be mid-run', () => receiver.requestsFor('/killed').length >= 3, 15_000, 20);
    await caravan.agent!.kill();
    const { rows } = await caravan.query(
      `SELECT count(*)::int AS n FROM event_deliveries d JOIN events e ON e.id = d.event_id
       WHERE e.event_type = 'agent.killed' AND d.status <> 'success'`,
    );
    assert.ok(rows[0].n > 0, 'the kill left work unfinished');

    await caravan.startAgent();
    const deliveries = await allDelivered(project, events.map((e) => e.id), 40_000);
    const received = receiver.requestsFor('/killed');
    const eventsReceived = new Set(received.map((r) => r.headers['x-caravan-event-id']));
    assert.equal(eventsReceived.size, 30, 'every event reached the receiver at least once');
    // A repeat of an interrupted attempt carries the same delivery idempotency key, so receivers can drop it.
    for (const delivery of deliveries) {
      const keys = new Set(received.filter((r) => r.headers['x-caravan-delivery-id'] === delivery.id).map((r) => r.headers['x-caravan-idempotency-key']));
      assert.deepEqual([...keys], [delivery.id]);
    }
  });
});
