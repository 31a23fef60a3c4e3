import { Injectable } from '@nestjs/common';
import { RedisConnection } from '@caravan/queue';
import { admit, BreakerSettings, BreakerState, closedState, CircuitStatus, recordResult, Verdict } from './circuit-breaker-state';

export interface BreakerGate {
  allowed: boolean;
  retryAfterMs: number;
  status: CircuitStatus;
}

// Writes only when the stored version is unchanged, so two agents cannot both move one breaker.
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
local version = 0
if current then version = tonumber(cjson.decode(current).version) end
if version ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

const STATE_TTL_MS = 7 * 24 * 3600 * 1000;
const MAX_TRIES = 8;

type Stored = BreakerState & { version: number };

/** The breaker of each endpoint, shared by every agent through Redis. */
@Injectable()
export class CircuitBreaker {
  constructor(private readonly redis: RedisConnection) {
    this.redis.client.defineCommand('caravanBreakerCas', { numberOfKeys: 1, lua: COMPARE_AND_SET });
  }

  /** May an attempt go to this endpoint now? Moving open → half-open happens here. */
  async allow(endpointId: string, settings: BreakerSettings): Promise<BreakerGate> {
    return this.update(endpointId, (state, now) => {
      const admission = admit(state, now, settings);
      return { next: admission.next, result: { allowed: admission.allowed, retryAfterMs: admission.retryAfterMs, status: admission.next.status } };
    });
  }

  /** Counts an attempt's result; the verdict says whether the circuit opened and for how many times in a row. */
  async record(endpointId: string, success: boolean, settings: BreakerSettings): Promise<Verdict> {
    return this.update(endpointId, (state, now) => {
      const verdict = recordResult(state, success, now, settings);
      return { next: verdict.next, result: verdict };
    });
  }

  async reset(endpointId: string): Promise<void> {
    await this.redis.client.del(this.key(endpointId));
  }

  async status(endpointId: string): Promise<BreakerState> {
    return (await this.read(endpointId)) ?? closedState(Date.now());
  }

  private async update<T>(endpointId: string, step: (state: BreakerState, now: number) => { next: BreakerState; result: T }): Promise<T> {
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const now = Date.now();
      const stored = await this.read(endpointId);
      const version = stored?.version ?? 0;
      const { next, result } = step(stored ?? closedState(now), now);
      if (stored && sameState(stored, next)) return result;
      if (!stored && next.status === 'closed' && next.successes === 0 && next.failures === 0) return result;
      const client = this.redis.client as unknown as {
        caravanBreakerCas(key: string, version: number, value: string, ttl: number): Promise<number>;
      };
      const written = await client.caravanBreakerCas(this.key(endpointId), version, JSON.stringify({ ...next, version: version + 1 }), STATE_TTL_MS);
      if (written === 1) return result;
    }
    throw new Error(`circuit breaker of endpoint ${endpointId} is contended; giving up this time`);
  }

  private async read(endpointId: string): Promise<Stored | null> {
    const raw = await this.redis.client.get(this.key(endpointId));
    return raw ? (JSON.parse(raw) as Stored) : null;
  }

  private key(endpointId: string): string {
    return this.redis.key('circuit-breaker', endpointId);
  }
}

function sameState(stored: Stored, next: BreakerState): boolean {
  return (Object.keys(next) as (keyof BreakerState)[]).every((key) => stored[key] === next[key]);
}
