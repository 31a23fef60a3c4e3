/**
 * The circuit breaker of one endpoint as a pure state machine; CircuitBreaker keeps it in a
 * BreakerStore: Redis, so every agent sees the same state, or memory in embedded mode.
 *
 * closed → open: within a sample window, at least minimumRequestCount attempts and a failure
 * rate ≥ failureThreshold %. open → half_open: after errorTimeout; a few probes go through.
 * half_open → closed when the probes' success rate reaches successThreshold %, → open again when
 * their failure rate reaches failureThreshold %. `trips` counts openings with no close between.
 */
export type CircuitStatus = 'closed' | 'open' | 'half_open';

export interface BreakerSettings {
  sampleWindowMs: number;
  errorTimeoutMs: number;
  failureThreshold: number;
  successThreshold: number;
  minimumRequestCount: number;
  consecutiveFailureThreshold: number;
}

export interface BreakerState {
  status: CircuitStatus;
  windowStartedAt: number;
  successes: number;
  failures: number;
  openUntil: number;
  trips: number;
  halfOpenSince: number;
  probesGranted: number;
}

export interface Admission {
  allowed: boolean;
  /** When not allowed: how long until asking again makes sense. */
  retryAfterMs: number;
  next: BreakerState;
}

export interface Verdict {
  next: BreakerState;
  /** This result opened the circuit. */
  tripped: boolean;
  /** The circuit has opened consecutiveFailureThreshold times in a row. */
  exhausted: boolean;
}

export const HALF_OPEN_PROBES = 3;

export function closedState(now: number): BreakerState {
  return { status: 'closed', windowStartedAt: now, successes: 0, failures: 0, openUntil: 0, trips: 0, halfOpenSince: 0, probesGranted: 0 };
}

export function admit(state: BreakerState, now: number, settings: BreakerSettings): Admission {
  if (state.status === 'closed') return { allowed: true, retryAfterMs: 0, next: state };

  let current = state;
  if (current.status === 'open') {
    if (now < current.openUntil) return { allowed: false, retryAfterMs: current.openUntil - now, next: current };
    current = { ...current, status: 'half_open', halfOpenSince: now, probesGranted: 0, successes: 0, failures: 0 };
  }
  // Probes granted but never reported (their agent died) are given again after errorTimeout.
  if (now - current.halfOpenSince >= settings.errorTimeoutMs) current = { ...current, halfOpenSince: now, probesGranted: 0 };
  if (current.probesGranted < HALF_OPEN_PROBES) {
    return { allowed: true, retryAfterMs: 0, next: { ...current, probesGranted: current.probesGranted + 1 } };
  }
  return { allowed: false, retryAfterMs: current.halfOpenSince + settings.errorTimeoutMs - now, next: current };
}

export function recordResult(state: BreakerState, success: boolean, now: number, settings: BreakerSettings): Verdict {
  // A result of an attempt that started before the circuit opened says nothing new.
  if (state.status === 'open') return { next: state, tripped: false, exhausted: false };

  let current = state;
  if (current.status === 'closed' && now - current.windowStartedAt >= settings.sampleWindowMs) {
    current = { ...current, windowStartedAt: now, successes: 0, failures: 0 };
  }
  const successes = current.successes + (success ? 1 : 0);
  const failures = current.failures + (success ? 0 : 1);
  const total = successes + failures;
  const failureRate = (failures * 100) / total;

  if (current.status === 'half_open') {
    if (failureRate >= settings.failureThreshold) return trip(current, now, settings);
    if ((successes * 100) / total >= settings.successThreshold) return { next: closedState(now), tripped: false, exhausted: false };
    return { next: { ...current, successes, failures }, tripped: false, exhausted: false };
  }
  if (total >= settings.minimumRequestCount && failureRate >= settings.failureThreshold) return trip(current, now, settings);
  return { next: { ...current, successes, failures }, tripped: false, exhausted: false };
}

function trip(state: BreakerState, now: number, settings: BreakerSettings): Verdict {
  const trips = state.trips + 1;
  return {
    next: {
      ...state,
      status: 'open',
      openUntil: now + settings.errorTimeoutMs,
      trips,
      windowStartedAt: now,
      successes: 0,
      failures: 0,
      probesGranted: 0,
    },
    tripped: true,
    exhausted: trips >= settings.consecutiveFailureThreshold,
  };
}
