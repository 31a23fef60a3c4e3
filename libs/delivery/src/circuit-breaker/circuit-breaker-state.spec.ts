import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { admit, BreakerSettings, BreakerState, closedState, HALF_OPEN_PROBES, recordResult } from './circuit-breaker-state';

const settings: BreakerSettings = {
  sampleWindowMs: 30_000,
  errorTimeoutMs: 30_000,
  failureThreshold: 70,
  successThreshold: 5,
  minimumRequestCount: 10,
  consecutiveFailureThreshold: 3,
};

function results(state: BreakerState, outcomes: boolean[], now: number) {
  let verdict = { next: state, tripped: false, exhausted: false };
  for (const success of outcomes) verdict = recordResult(verdict.next, success, now, settings);
  return verdict;
}

describe('circuit breaker state machine', () => {
  it('stays closed below the minimum request count, however many fail', () => {
    const verdict = results(closedState(0), Array(9).fill(false), 1000);
    assert.equal(verdict.next.status, 'closed');
    assert.equal(admit(verdict.next, 1000, settings).allowed, true);
  });

  it('opens at the minimum count when the failure rate reaches the threshold', () => {
    const verdict = results(closedState(0), [true, true, true, ...Array(7).fill(false)], 1000); // 70 % of 10
    assert.equal(verdict.tripped, true);
    assert.equal(verdict.next.status, 'open');
    assert.equal(verdict.next.openUntil, 31_000);
    assert.equal(verdict.next.trips, 1);
  });

  it('stays closed when the failure rate is below the threshold', () => {
    const verdict = results(closedState(0), [true, true, true, true, ...Array(6).fill(false)], 1000); // 60 %
    assert.equal(verdict.next.status, 'closed');
  });

  it('forgets results older than the sample window', () => {
    const early = results(closedState(0), Array(9).fill(false), 1000);
    const late = recordResult(early.next, false, 31_000, settings);
    assert.equal(late.next.status, 'closed');
    assert.equal(late.next.failures, 1);
  });

  it('refuses attempts while open and says how long to wait', () => {
    const open = results(closedState(0), Array(10).fill(false), 1000).next;
    const admission = admit(open, 11_000, settings);
    assert.equal(admission.allowed, false);
    assert.equal(admission.retryAfterMs, 20_000);
  });

  it('lets a few probes through once the error timeout has passed, then holds the rest', () => {
    const open = results(closedState(0), Array(10).fill(false), 1000).next;
    let state = open;
    const granted = [];
    for (let i = 0; i < HALF_OPEN_PROBES + 2; i++) {
      const admission = admit(state, 31_000, settings);
      granted.push(admission.allowed);
      state = admission.next;
    }
    assert.deepEqual(granted, [...Array(HALF_OPEN_PROBES).fill(true), false, false]);
    assert.equal(state.status, 'half_open');
    assert.equal(admit(state, 31_500, settings).retryAfterMs, 29_500);
  });

  it('closes after a successful probe, resetting the trip count', () => {
    const open = results(closedState(0), Array(10).fill(false), 1000).next;
    const halfOpen = admit(open, 31_000, settings).next;
    const verdict = recordResult(halfOpen, true, 31_100, settings);
    assert.equal(verdict.next.status, 'closed');
    assert.equal(verdict.next.trips, 0);
  });

  it('opens again after a failed probe and reports exhaustion at the consecutive trip threshold', () => {
    let state = results(closedState(0), Array(10).fill(false), 1000).next;
    let verdict;
    for (let trip = 2; trip <= 3; trip++) {
      const now = state.openUntil;
      state = admit(state, now, settings).next;
      assert.equal(state.status, 'half_open');
      verdict = recordResult(state, false, now + 100, settings);
      assert.equal(verdict.tripped, true);
      assert.equal(verdict.next.trips, trip);
      state = verdict.next;
    }
    assert.equal(verdict!.exhausted, true);
  });

  it('ignores results that arrive while open', () => {
    const open = results(closedState(0), Array(10).fill(false), 1000).next;
    assert.deepEqual(recordResult(open, true, 2000, settings).next, open);
  });

  it('grants probes again when earlier probes never reported back', () => {
    const open = results(closedState(0), Array(10).fill(false), 1000).next;
    let state = open;
    for (let i = 0; i < HALF_OPEN_PROBES; i++) state = admit(state, 31_000, settings).next;
    assert.equal(admit(state, 32_000, settings).allowed, false);
    assert.equal(admit(state, 61_000, settings).allowed, true);
  });
});
