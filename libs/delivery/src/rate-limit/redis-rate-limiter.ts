import { RedisConnection } from '@caravan/queue';
import { gcraIntervals, RateLimit, RateLimiter } from './rate-limiter';

/*
 * GCRA reservation, atomic in Redis on Redis's clock so agents on different hosts agree.
 * The TAT (theoretical arrival time) keeps full precision ('%.17g'; tostring keeps only 14 digits),
 * and the wait is rounded to the nearest millisecond, the clock's tick: with ceil, float noise
 * made the last slot of some bursts (7 per second) wait 1 ms.
 */
const RESERVE_SLOT = `
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) * 1000 + math.floor(tonumber(now_parts[2]) / 1000)
local emission = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local wait = math.floor(tat - tolerance - now + 0.5)
if wait < 0 then wait = 0 end
local new_tat = tat + emission
redis.call('SET', KEYS[1], string.format('%.17g', new_tat), 'PX', math.ceil(new_tat - now + tolerance + 1000))
return wait
`;

interface ReserveSlotCommand {
  caravanReserveSlot(key: string, emissionMs: number, toleranceMs: number): Promise<number>;
}

/** Rate limits shared by every agent through Redis. */
export class RedisRateLimiter extends RateLimiter {
  constructor(private readonly redis: RedisConnection) {
    super();
    this.redis.client.defineCommand('caravanReserveSlot', { numberOfKeys: 1, lua: RESERVE_SLOT });
  }

  async reserve(endpointId: string, limit: RateLimit): Promise<number> {
    const { emissionMs, toleranceMs } = gcraIntervals(limit);
    const client = this.redis.client as unknown as ReserveSlotCommand;
    return Number(
      await client.caravanReserveSlot(this.redis.key('rate-limit', endpointId), emissionMs, toleranceMs),
    );
  }
}
