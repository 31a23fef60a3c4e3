/** How long a message whose persist() threw waits before the broker offers it again. */
export interface RedeliveryBackoffOptions {
  /** The delay after the first failure. */
  initialDelayMs: number;
  /** The cap the doubling delay stops at. */
  maxDelayMs: number;
}

export const DEFAULT_REDELIVERY_BACKOFF: RedeliveryBackoffOptions = {
  initialDelayMs: 1000,
  maxDelayMs: 60_000,
};

/**
 * Doubles with each consecutive failure and starts over after a success. It counts failures of the consumer
 * (or of one Kafka partition), not of one message: when the database is down every message fails, and the
 * whole consumer should slow down rather than each message discovering the outage on its own.
 */
export class RedeliveryBackoff {
  private consecutiveFailures = 0;

  constructor(private readonly options: RedeliveryBackoffOptions = DEFAULT_REDELIVERY_BACKOFF) {
    if (!(options.initialDelayMs >= 0) || !(options.maxDelayMs >= options.initialDelayMs)) {
      throw new RangeError('backoff needs 0 <= initialDelayMs <= maxDelayMs');
    }
  }

  /** Records a failure and returns the delay before the next try. */
  nextDelayMs(): number {
    const exponent = Math.min(this.consecutiveFailures, 30);
    this.consecutiveFailures += 1;
    return Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** exponent);
  }

  reset(): void {
    this.consecutiveFailures = 0;
  }

  get failures(): number {
    return this.consecutiveFailures;
  }
}
