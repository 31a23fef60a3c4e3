import type { RetryConfig } from '@caravan/common';

/** Pure: when to try again after a failed attempt, and whether to try at all. */
export class RetryPolicy {
  constructor(private readonly config: RetryConfig) {}

  /** Total attempts a delivery gets: the first one plus `retry_count` retries. */
  get maxAttempts(): number {
    return this.config.retry_count + 1;
  }

  canRetryAfter(attempt: number): boolean {
    return attempt < this.maxAttempts;
  }

  /** Milliseconds to wait after failed attempt number `attempt` (1-based). */
  nextDelay(attempt: number): number {
    const { strategy, interval_seconds, max_interval_seconds } = this.config;
    const seconds =
      strategy === 'linear' ? interval_seconds : interval_seconds * 2 ** Math.min(Math.max(attempt - 1, 0), 30);
    return Math.round(Math.min(seconds, max_interval_seconds) * 1000);
  }
}
