import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import Redis from 'ioredis';
import { redisOptions } from './redis-connection';

/**
 * One Redis connection per process for state shared across agents (rate limits, circuit
 * breakers). Commands fail after a few retries instead of waiting forever for a connection.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly client: Redis;
  readonly prefix: string;

  constructor(@Inject(CARAVAN_CONFIG) config: CaravanConfig) {
    this.client = new Redis({ ...redisOptions(config.redis), maxRetriesPerRequest: 2, lazyConnect: false });
    this.client.on('error', () => undefined); // reconnects by itself; callers see failed commands
    this.prefix = config.redis.prefix;
  }

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
