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
import { KeyedCoalescer } from './keyed-coalescer';

export interface BreakerGate {
  allowed: boolean;
  retryAfterMs: number;
  status: CircuitStatus;
}

const MAX_TRIES = 8;

type Step<T> = (state: BreakerState, now: number) => { next: BreakerState; result: T };

/** The circuit breaker of each endpoint, kept in a BreakerStore (Redis shares it between agents). */
@Injectable()
export class CircuitBreaker {
  /*
   * Writes to one endpoint take turns within this process, and the results that arrive while a
   * write is in flight go together into the next one: one read and one compare-and-set for all of
   * them. One write per result, a busy endpoint took no more results per second than two Redis
   * round trips allow, and each of its deliveries held a slot while it waited for its turn.
   */
  private readonly writes = new KeyedCoalescer<Step<unknown>, unknown>((endpointId, steps) => this.write(endpointId, steps));
  /** Reads of one endpoint in flight, shared by the calls that come meanwhile. */
  private readonly reads = new Map<string, Promise<VersionedBreakerState | null>>();

  constructor(private readonly store: BreakerStore) {}

  /** May an attempt go to this endpoint now? Moving open → half-open happens here. */
  async allow(endpointId: string, settings: BreakerSettings): Promise<BreakerGate> {
    const step: Step<BreakerGate> = (state, now) => {
      const admission = admit(state, now, settings);
      return {
        next: admission.next,
        result: { allowed: admission.allowed, retryAfterMs: admission.retryAfterMs, status: admission.next.status },
      };
    };
    // Most calls (a closed circuit) change nothing: they only read, without waiting for a turn.
    const now = Date.now();
    const stored = await this.sharedRead(endpointId);
    const { next, result } = step(stored ?? closedState(now), now);
    if (unchanged(stored, next)) return result;
    return (await this.writes.add(endpointId, step)) as BreakerGate;
  }

  /** Counts an attempt's result; the verdict says whether the circuit opened and for how many times in a row. */
  async record(endpointId: string, success: boolean, settings: BreakerSettings): Promise<Verdict> {
    const step: Step<Verdict> = (state, now) => {
      const verdict = recordResult(state, success, now, settings);
      return { next: verdict.next, result: verdict };
    };
    const verdict = (await this.writes.add(endpointId, step)) as Verdict;
    if (verdict.tripped) caravanMetrics.breakerTrips.inc();
    return verdict;
  }

  async reset(endpointId: string): Promise<void> {
    await this.store.delete(endpointId);
  }

  async status(endpointId: string): Promise<BreakerState> {
    return (await this.store.read(endpointId)) ?? closedState(Date.now());
  }

  private sharedRead(endpointId: string): Promise<VersionedBreakerState | null> {
    const inFlight = this.reads.get(endpointId);
    if (inFlight) return inFlight;
    const read = this.store.read(endpointId).finally(() => this.reads.delete(endpointId));
    this.reads.set(endpointId, read);
    return read;
  }

  /** Applies the steps in order to the stored state and writes the end state once, if it changed. */
  private async write(endpointId: string, steps: Step<unknown>[]): Promise<unknown[]> {
    for (let attempt = 0; attempt < MAX_TRIES; attempt++) {
      const now = Date.now();
      const stored = await this.store.read(endpointId);
      let state: BreakerState = stored ?? closedState(now);
      const results = steps.map((step) => {
        const { next, result } = step(state, now);
        state = next;
        return result;
      });
      if (unchanged(stored, state)) return results;
      if (await this.store.compareAndSet(endpointId, stored?.version ?? 0, state)) return results;
      // Another agent wrote first: a random pause keeps agents that lost together from colliding again.
      await sleep(Math.random() * 4 * (attempt + 1));
    }
    throw new Error(`circuit breaker of endpoint ${endpointId} is contended; giving up this time`);
  }
}

function unchanged(stored: VersionedBreakerState | null, next: BreakerState): boolean {
  return stored ? sameState(stored, next) : isPristine(next);
}

/** A closed circuit with nothing counted is what a missing entry means, so it need not be stored. */
function isPristine(state: BreakerState): boolean {
  return state.status === 'closed' && state.successes === 0 && state.failures === 0;
}

function sameState(stored: VersionedBreakerState, next: BreakerState): boolean {
  return (Object.keys(next) as (keyof BreakerState)[]).every((key) => stored[key] === next[key]);
}
