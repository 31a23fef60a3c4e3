import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { caravanMetrics, RecentValues } from '@caravan/common';
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
/**
 * How old a state allow() goes by may be. Another agent's change (a circuit it opened) shows here
 * within this; without it, every attempt read Redis once, a tenth of the agent's time.
 */
const READ_MAX_AGE_MS = 100;
/**
 * Least time between two writes of one endpoint's breaker from this process. Results wait for it
 * in the background (a delivery does not); at 20 ms, the writes of ten busy endpoints were 6 % of
 * the agent's time at its ceiling. A state change that allow() makes (open to half-open) waits
 * for it too, once per circuit opening.
 */
const WRITE_INTERVAL_MS = 50;

type Step<T> = (state: BreakerState, now: number) => { next: BreakerState; result: T };

/** The circuit breaker of each endpoint, kept in a BreakerStore (Redis shares it between agents). */
@Injectable()
export class CircuitBreaker {
  /*
   * Writes to one endpoint take turns within this process, at most one per WRITE_INTERVAL_MS, and
   * the results that arrive meanwhile go together into the next one: one read and one
   * compare-and-set for all of them. One write per result, a busy endpoint took no more results
   * per second than two Redis round trips allow, and each of its deliveries waited for its turn.
   */
  private readonly writes = new KeyedCoalescer<Step<unknown>, unknown>((endpointId, steps) => this.write(endpointId, steps), WRITE_INTERVAL_MS);
  /** States read for allow(), shared for READ_MAX_AGE_MS; this process's own writes replace them at once. */
  private readonly recentStates = new RecentValues<VersionedBreakerState | null>(READ_MAX_AGE_MS);

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
    const stored = await this.recentStates.get(endpointId, () => this.store.read(endpointId));
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
    this.recentStates.forget(endpointId);
  }

  async status(endpointId: string): Promise<BreakerState> {
    return (await this.store.read(endpointId)) ?? closedState(Date.now());
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
      if (unchanged(stored, state)) {
        this.recentStates.remember(endpointId, stored);
        return results;
      }
      const version = stored?.version ?? 0;
      if (await this.store.compareAndSet(endpointId, version, state)) {
        this.recentStates.remember(endpointId, { ...state, version: version + 1 });
        return results;
      }
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
