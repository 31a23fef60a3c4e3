import { Injectable } from '@nestjs/common';
import { RedisConnection } from '@caravan/queue';

export interface RateLimit {
  count: number;
  durationMs: number;
}

/** Shared by every agent: how long a delivery to an endpoint must wait for its turn. */
export abstract class RateLimiter {
  /** Reserves the endpoint's next slot; answers the milliseconds until it (0: send now). */
  abstract reserve(endpointId: string, limit: RateLimit): Promise<number>;
}

/*
 * GCRA (the generic cell rate algorithm) with reservation, atomically in Redis on Redis's clock.
 * `count` deliveries may go at once, then one every duration/count. Each caller reserves the next
 * free slot and waits for it without asking again, so a backlog drains in order instead of every
 * deferred delivery waking at the same moment and asking again.
 */
const RESERVE_SLOT = `
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local emission = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = tat - tolerance - now
if wait < 0 then wait = 0 end
local new_tat = tat + emission
redis.call('SET', KEYS[1], tostring(new_tat), 'PX', math.ceil(new_tat - now + tolerance + 1000))
return math.ceil(wait)
`;

@Injectable()
export class RedisRateLimiter extends RateLimiter {
  constructor(private readonly redis: RedisConnection) {
    super();
    this.redis.client.defineCommand('caravanReserveSlot', { numberOfKeys: 1, lua: RESERVE_SLOT });
  }

  async reserve(endpointId: string, limit: RateLimit): Promise<number> {
    const emission = limit.durationMs / limit.count;
    const tolerance = limit.durationMs - emission;
    const client = this.redis.client as unknown as {
      caravanReserveSlot(key: string, emission: number, tolerance: number): Promise<number>;
    };
    return Number(await client.caravanReserveSlot(this.redis.key('rate-limit', endpointId), emission, tolerance));
  }
}
