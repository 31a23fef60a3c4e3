import type { RetryConfig } from '@caravan/common';

// 4xx answers that say "not now" rather than "never": retried even when stop_on_4xx is set.
const RETRYABLE_CLIENT_ERRORS = new Set([408, 409, 425, 429]);
const RETRY_AFTER_STATUSES = new Set([429, 503]);

export interface FailedAttempt {
  statusCode: number | null;
  /** The response's Retry-After header, when it had one. */
  retryAfter?: string;
}

/** Pure: whether a failed delivery is tried again, and after how long. */
export class RetryPolicy {
  constructor(
    private readonly config: RetryConfig,
    private readonly random: () => number = Math.random,
  ) {}

  /** Total attempts a delivery gets: the first one plus `retry_count` retries. */
  get maxAttempts(): number {
    return this.config.retry_count + 1;
  }

  canRetryAfter(attempt: number, failure: FailedAttempt = { statusCode: null }): boolean {
    if (attempt >= this.maxAttempts) return false;
    const code = failure.statusCode;
    if (this.config.stop_on_4xx && code !== null && code >= 400 && code < 500) return RETRYABLE_CLIENT_ERRORS.has(code);
    return true;
  }

  /**
   * Milliseconds to wait after failed attempt number `attempt` (1-based). Linear waits the
   * interval; exponential doubles it up to the cap with full jitter, never below the interval,
   * so endpoints recovering from an outage are not hit by every delivery at once. A Retry-After
   * on 429/503 is honoured, bounded by max_interval_seconds.
   */
  nextDelay(attempt: number, failure: FailedAttempt = { statusCode: null }): number {
    const { strategy, interval_seconds, max_interval_seconds } = this.config;
    const capMs = max_interval_seconds * 1000;
    const retryAfterMs = failure.statusCode !== null && RETRY_AFTER_STATUSES.has(failure.statusCode) ? parseRetryAfter(failure.retryAfter) : null;
    if (retryAfterMs !== null) return Math.round(Math.min(retryAfterMs, capMs));

    const intervalMs = Math.min(interval_seconds * 1000, capMs);
    if (strategy === 'linear') return Math.round(intervalMs);
    const ceilingMs = Math.min(intervalMs * 2 ** Math.min(Math.max(attempt - 1, 0), 30), capMs);
    return Math.round(intervalMs + this.random() * (ceilingMs - intervalMs));
  }
}

/** Retry-After is delay-seconds or an HTTP date (RFC 9110 10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date names its weekday and month; Date.parse would read "-5" as a year.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
