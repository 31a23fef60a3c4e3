import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { caravanMetrics } from '@caravan/common';
import {
  admit,
  BreakerSettings,
  BreakerState,
  closedState,
  CircuitStatus,
  recordResult,
  Verdict,
} from './circuit-breaker-state';
import { BreakerStore, VersionedBreakerState } from './breaker-store';
import { KeyedSerializer } from './keyed-serializer';

export interface BreakerGate {
  allowed: boolean;
  retryAfterMs: number;
  status: CircuitStatus;
}

const MAX_TRIES = 8;

type Step<T> = (state: BreakerState, now: number) => { next: BreakerState; result: T };

/** The breaker of each endpoint, kept in a BreakerStore (Redis shares it between agents). */
@Injectable()
export class CircuitBreaker {
  /*
   * Writes to one endpoint take turns within this process. Without that, a burst of results for one
   * endpoint (delivery concurrency is 50) read the same version together and all but one per round
   * lost the compare-and-set until MAX_TRIES ran out. Now only other agents can contend.
   */
  private readonly writers = new KeyedSerializer();

  constructor(private readonly store: BreakerStore) {}

  /** May an attempt go to this endpoint now? Moving open → half-open happens here. */
  async allow(endpointId: string, settings: BreakerSettings): Promise<BreakerGate> {
    return this.update(endpointId, (state, now) => {
      const admission = admit(state, now, settings);
      return {
        next: admission.next,
        result: {
          allowed: admission.allowed,
          retryAfterMs: admission.retryAfterMs,
          status: admission.next.status,
        },
      };
    });
  }

  /** Counts an attempt's result; the verdict says whether the circuit opened and for how many times in a row. */
  async record(endpointId: string, success: boolean, settings: BreakerSettings): Promise<Verdict> {
    const verdict = await this.update(endpointId, (state, now) => {
      const verdict = recordResult(state, success, now, settings);
      return { next: verdict.next, result: verdict };
    });
    if (verdict.tripped) caravanMetrics.breakerTrips.inc();
    return verdict;
  }

  async reset(endpointId: string): Promise<void> {
    await this.store.delete(endpointId);
  }

  async status(endpointId: string): Promise<BreakerState> {
    return (await this.store.read(endpointId)) ?? closedState(Date.now());
  }

  private async update<T>(endpointId: string, step: Step<T>): Promise<T> {
    // Most calls (allow on a closed circuit) change nothing: they only read, without waiting for a turn.
    const unchanged = await this.tryStep(endpointId, step, false);
    if (unchanged.done) return unchanged.result;
    return this.writers.run(endpointId, async () => {
      for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
        const outcome = await this.tryStep(endpointId, step, true);
        if (outcome.done) return outcome.result;
        // Another agent wrote first: a random pause keeps agents that lost together from colliding again.
        await sleep(Math.random() * 4 * (attempt + 1));
      }
      throw new Error(`circuit breaker of endpoint ${endpointId} is contended; giving up this time`);
    });
  }

  /** Applies `step` to the stored state: done when that changes nothing, or when it may write and its write wins. */
  private async tryStep<T>(
    endpointId: string,
    step: Step<T>,
    mayWrite: boolean,
  ): Promise<{ done: true; result: T } | { done: false }> {
    const now = Date.now();
    const stored = await this.store.read(endpointId);
    const { next, result } = step(stored ?? closedState(now), now);
    if (stored ? sameState(stored, next) : isPristine(next)) return { done: true, result };
    if (mayWrite && (await this.store.compareAndSet(endpointId, stored?.version ?? 0, next)))
      return { done: true, result };
    return { done: false };
  }
}

/** A closed circuit with nothing counted is what a missing entry means, so it need not be stored. */
function isPristine(state: BreakerState): boolean {
  return state.status === 'closed' && state.successes === 0 && state.failures === 0;
}

function sameState(stored: VersionedBreakerState, next: BreakerState): boolean {
  return (Object.keys(next) as (keyof BreakerState)[]).every((key) => stored[key] === next[key]);
}
