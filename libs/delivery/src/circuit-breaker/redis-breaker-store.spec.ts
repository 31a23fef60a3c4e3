import { after, before, describe } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { disposeRedisTestConnection, RedisConnection, redisTestConnection } from '@caravan/queue';
import { RedisBreakerStore } from './redis-breaker-store';
import { breakerStoreContract } from './testing/breaker-store-contract';

describe('RedisBreakerStore against the local Redis', () => {
  let redis: RedisConnection;

  before(() => {
    redis = redisTestConnection();
  });
  after(() => disposeRedisTestConnection(redis));

  breakerStoreContract(({ ttlMs }) => ({
    store: new RedisBreakerStore(redis, ttlMs),
    passTime: (ms) => sleep(ms),
  }));
});
