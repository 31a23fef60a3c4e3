import type { CaravanConfig } from '@caravan/common';
import type { RedisOptions } from 'bullmq';

/** Redis connection options from a redis:// or rediss:// URL (db from the path). */
export function redisOptionsFromUrl(url: string): RedisOptions {
  const parsed = new URL(url);
  const db = parsed.pathname.replace(/^\//, '');
  return {
    host: parsed.hostname || '127.0.0.1',
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: db ? Number(db) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    // BullMQ workers block on Redis; they require this to be unset.
    maxRetriesPerRequest: null,
  };
}

/**
 * Options for every Redis client Caravan makes (BullMQ's and the shared-state connection). With
 * Sentinels, ioredis asks them for the current master and follows a failover by itself; the URL
 * still gives the master's credentials, db and TLS, but not its address.
 */
export function redisOptions(redis: CaravanConfig['redis']): RedisOptions {
  const options = redisOptionsFromUrl(redis.url);
  if (redis.sentinels.length === 0) return options;
  const fromUrl = { ...options };
  delete fromUrl.host;
  delete fromUrl.port;
  return {
    ...fromUrl,
    sentinels: redis.sentinels.map(({ host, port }) => ({ host, port })),
    name: redis.sentinelName,
    sentinelPassword: redis.sentinelPassword ?? undefined,
    // rediss: means TLS to the master; Sentinels themselves are asked in plain text.
    enableTLSForSentinelMode: options.tls !== undefined,
    // Told of a failover (+switch-master), reconnect at once rather than on the next error.
    failoverDetector: true,
    // A write that reached the old master, now a replica, was refused (not run): reconnect and resend it.
    reconnectOnError: (error: Error) => (error.message.startsWith('READONLY') ? 2 : false),
  };
}
