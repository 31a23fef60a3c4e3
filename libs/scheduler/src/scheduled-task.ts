/** What a run did, as counts: stored as the task's `last_report` and printed in its log line. */
export type TaskReport = Record<string, number>;

/** Work that runs once per interval per deployment, however many agents are running. */
export interface ScheduledTask {
  /** The row in scheduled_tasks; kebab-case, stable across releases. */
  name: string;
  intervalMs: number;
  /** `signal` aborts when the agent stops: a long run should end at its next safe point. */
  run(signal: AbortSignal): Promise<TaskReport>;
  /** Claim it as soon as this process starts instead of waiting for the stored due time. */
  dueAtStart?: boolean;
  /** Log runs that changed nothing at debug level only (a sweep every few seconds would flood the log). */
  quietWhenIdle?: boolean;
}

export function describeReport(report: TaskReport): string {
  const counts = Object.entries(report).map(([key, value]) => `${key}=${value}`);
  return counts.length ? counts.join(' ') : 'nothing to report';
}

export function isIdle(report: TaskReport): boolean {
  return Object.values(report).every((count) => count === 0);
}
