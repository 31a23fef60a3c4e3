import { randomUUID } from 'node:crypto';
import type { CaravanConfig } from '@caravan/common';
import { RedisConnection } from '../redis-connection.provider';

/** The Redis that scripts/test-services.sh starts. */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** A connection to the test Redis under a key prefix of its own, so runs and suites never share keys. */
export function redisTestConnection(): RedisConnection {
  const redis: CaravanConfig['redis'] = { url: TEST_REDIS_URL, prefix: `caravan-test-${randomUUID()}`, sentinels: [], sentinelName: 'mymaster', sentinelPassword: null };
  const config = { redis } as CaravanConfig;
  return new RedisConnection(config);
}

/** Deletes every key under the connection's prefix, then closes it. */
export async function disposeRedisTestConnection(redis: RedisConnection): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.client.scan(cursor, 'MATCH', `${redis.prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await redis.client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.onApplicationShutdown();
}
