import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ApiClient } from './support/api-client';
import { createEndpoint, sendEvent, settledDeliveries } from './support/fixtures';
import { Receiver } from './support/receiver';
import { RedisSentinelSet, SENTINEL_MASTER_NAME } from './support/redis-sentinel';
import { EMBEDDED, ExternalTestCaravan, TestCaravan, TestProject } from './support/test-caravan';

// The embedded mode has no Redis at all.
describe(
  'Redis through Sentinel (real master, replica and Sentinel processes)',
  { skip: EMBEDDED && 'external storage only: the embedded mode uses no Redis' },
  () => {
    let set: RedisSentinelSet | { unavailable: string };
    let caravan: TestCaravan;
    let receiver: Receiver;
    let project: TestProject;

    before(async () => {
      set = await RedisSentinelSet.start();
      if ('unavailable' in set) return;
      caravan = await TestCaravan.create({
        // Nothing listens on port 1: the URL's host must be ignored, its db and (absent) password used.
        REDIS_URL: 'redis://127.0.0.1:1/0',
        REDIS_SENTINELS: `${set.sentinels}, 127.0.0.1:2`,
        REDIS_SENTINEL_NAME: SENTINEL_MASTER_NAME,
      });
      receiver = await Receiver.start();
      await caravan.startApi();
      await caravan.startAgent();
      project = await caravan.createProject();
    });

    after(async () => {
      await caravan?.destroy();
      await receiver?.stop();
      if (set && !('unavailable' in set)) await set.stop();
    });

    it('queues and delivers through the master the Sentinel names, and follows a failover to the promoted replica', async (t) => {
      if ('unavailable' in set) return t.skip(set.unavailable);
      const sentinelSet = set;
      const prefix = (caravan as ExternalTestCaravan).redisPrefix;
      const endpoint = await createEndpoint(project.client, project.id, {
        url: receiver.url('/sentinel'),
        secret: 'sentinel-endpoint-secret-01',
      });

      const before = await sendEvent(project.client, project.id, {
        event_type: 'sentinel.before',
        data: { n: 1 },
        endpoint_id: endpoint.id,
      });
      assert.equal((await settledDeliveries(project.client, project.id, before.id))[0].status, 'success');
      const master = sentinelSet.client(sentinelSet.ports.master);
      try {
        assert.ok(
          (await master.keys(`${prefix}:*`)).length > 0,
          'the queue lives on the Sentinel-named master',
        );
      } finally {
        master.disconnect();
      }

      await sentinelSet.failover();
      const after = await sendEvent(project.client, project.id, {
        event_type: 'sentinel.after',
        data: { n: 2 },
        endpoint_id: endpoint.id,
      });
      assert.equal(
        (await settledDeliveries(project.client, project.id, after.id, 30_000))[0].status,
        'success',
      );
      assert.deepEqual(
        receiver.requestsFor('/sentinel').map((request) => JSON.parse(request.body)),
        [{ n: 1 }, { n: 2 }],
      );

      const promoted = sentinelSet.client(sentinelSet.ports.replica);
      try {
        assert.equal((await promoted.info('replication')).match(/role:(\w+)/)?.[1], 'master');
        // The promoted server now takes Caravan's writes: its queue keys outlive the failover.
        assert.ok((await promoted.keys(`${prefix}:*`)).length > 0);
      } finally {
        promoted.disconnect();
      }
      for (const url of [caravan.api!.url, caravan.agent!.url]) {
        assert.equal(
          (await new ApiClient(url).get('/health/ready')).status,
          200,
          `${url} is ready after the failover`,
        );
      }
    });
  },
);
