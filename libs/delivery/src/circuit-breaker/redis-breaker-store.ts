import { RedisConnection } from '@caravan/queue';
import { BreakerState } from './circuit-breaker-state';
import { BREAKER_STATE_TTL_MS, BreakerStore, VersionedBreakerState } from './breaker-store';

const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
local version = 0
if current then version = tonumber(cjson.decode(current).version) end
if version ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

interface CompareAndSetCommand {
  caravanBreakerCas(key: string, expectedVersion: number, value: string, ttlMs: number): Promise<number>;
}

/** Breakers shared by every agent through Redis, as JSON with the version inside. */
export class RedisBreakerStore extends BreakerStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly ttlMs = BREAKER_STATE_TTL_MS,
  ) {
    super();
    this.redis.client.defineCommand('caravanBreakerCas', { numberOfKeys: 1, lua: COMPARE_AND_SET });
  }

  async read(endpointId: string): Promise<VersionedBreakerState | null> {
    const raw = await this.redis.client.get(this.key(endpointId));
    return raw ? (JSON.parse(raw) as VersionedBreakerState) : null;
  }

  async compareAndSet(endpointId: string, expectedVersion: number, next: BreakerState): Promise<boolean> {
    const client = this.redis.client as unknown as CompareAndSetCommand;
    const value = JSON.stringify({ ...next, version: expectedVersion + 1 });
    return (await client.caravanBreakerCas(this.key(endpointId), expectedVersion, value, this.ttlMs)) === 1;
  }

  async delete(endpointId: string): Promise<void> {
    await this.redis.client.del(this.key(endpointId));
  }

  async all(): Promise<VersionedBreakerState[]> {
    const states: VersionedBreakerState[] = [];
    const stream = this.redis.client.scanStream({ match: this.key('*'), count: 1000 });
    for await (const keys of stream as AsyncIterable<string[]>) {
      if (keys.length === 0) continue;
      for (const raw of await this.redis.client.mget(...keys)) if (raw) states.push(JSON.parse(raw) as VersionedBreakerState);
    }
    return states;
  }

  private key(endpointId: string): string {
    return this.redis.key('circuit-breaker', endpointId);
  }
}
