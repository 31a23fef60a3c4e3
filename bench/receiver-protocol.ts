import { LatencySummary } from './latency-summary';

/** Headers the bench sets on each event (custom_headers), which Caravan forwards on every delivery. */
export const TIMESTAMP_HEADER = 'X-Benchmark-Timestamp-Ms';
export const RUN_HEADER = 'X-Benchmark-Run';

/**
 * Milliseconds since the epoch with sub-millisecond resolution, for the timestamp header and its
 * receipt: Date.now() would round every latency to a whole millisecond. Each process reads the
 * wall clock once, when it starts, and counts from there on the monotonic clock.
 */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

/** What the receiver counted for one run (one value of the run header). */
export interface ReceiverRunStats {
  run: string;
  /** Every request that carried this run's header, repeats included. */
  requests: number;
  /** Distinct (event id, endpoint path) pairs: each is one delivery that arrived. */
  uniqueDeliveries: number;
  /** Requests beyond the first for the same (event id, endpoint path). */
  duplicateRequests: number;
  /** Requests whose (delivery id, attempt) had already arrived: the same attempt sent twice. */
  repeatedAttempts: number;
  /** Requests with an attempt number above 1 (a retry, although the receiver always answers 200). */
  retries: number;
  /** Receipt time (ms since the epoch) of the first and the last request; 0 when none. */
  firstAt: number;
  lastAt: number;
  /** Timestamp header to receipt, first receipt of each delivery. */
  latency: LatencySummary;
}

export type ReceiverRequest = { type: 'stats'; id: number; run: string } | { type: 'forget'; run: string };

export type ReceiverMessage =
  { type: 'ready'; port: number } | { type: 'stats'; id: number; stats: ReceiverRunStats };
