/** What a claim attempt learnt from the database, in the database's clock. */
export interface ClaimAttempt {
  claimed: boolean;
  /** When the task may be claimed next as the row stood before this attempt: next_run_at, or the lease's end if later. */
  dueAt: Date;
  now: Date;
}

/** Never poll faster than this, so a clock step or a stuck lease cannot turn the loop into a busy wait. */
export const MIN_CLAIM_DELAY_MS = 20;

/**
 * How long an agent sleeps before it tries to claim the task again. Each agent sleeps until the
 * due time the database reported, so the agents wake together when the task is due and one of
 * them wins, without polling in between; never longer than the interval, so a row another agent
 * moved (a shorter interval of its own, a run that ended early) is noticed within one interval.
 * `elapsedMs` is the time spent since the attempt (the run, when it was claimed).
 */
export function nextClaimDelay(attempt: ClaimAttempt, intervalMs: number, elapsedMs: number): number {
  const untilDue = attempt.claimed ? intervalMs : attempt.dueAt.getTime() - attempt.now.getTime();
  return Math.max(MIN_CLAIM_DELAY_MS, Math.min(untilDue, intervalMs) - elapsedMs);
}
