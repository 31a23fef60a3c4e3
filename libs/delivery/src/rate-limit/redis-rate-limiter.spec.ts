import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisRateLimiter } from './redis-rate-limiter';
import { rateLimiterContract } from './testing/rate-limiter-contract';
import { disposeRedisTestConnection, RedisConnection, redisTestConnection } from '@caravan/queue';

describe('RedisRateLimiter against the local Redis', () => {
  let redis: RedisConnection;

  before(() => {
    redis = redisTestConnection();
  });
  after(() => disposeRedisTestConnection(redis));

  rateLimiterContract(() => ({ limiter: new RedisRateLimiter(redis), passTime: (ms) => sleep(ms) }));

  it('keeps an endpoint under the connection prefix only as long as its reservations last', async () => {
    await new RedisRateLimiter(redis).reserve('ttl-check', { count: 2, durationMs: 1000 });
    const ttl = await redis.client.pttl(redis.key('rate-limit', 'ttl-check'));
    assert.ok(ttl > 0 && ttl <= 3000, `expires in ${ttl} ms`);
  });
});
