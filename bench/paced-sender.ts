import { Pool } from 'undici';
import { eventBody } from './event-payload';
import { LatencySummary, summarizeLatencies } from './latency-summary';

export interface PacedSendResult {
  /** Requests sent, and those answered 202 (each a stored event). */
  sent: number;
  accepted: number;
  /** Answers other than 202, and requests that failed (connection error, timeout). */
  rejected: number;
  errors: number;
  firstError: string | null;
  /** Sends that could not go out on time because `maxInFlight` requests were already waiting. */
  skipped: number;
  durationMs: number;
  apiLatency: LatencySummary;
}

export interface PacedSendOptions {
  url: string;
  apiKey: string;
  eventType: string;
  run: string;
  ratePerSecond: number;
  durationMs: number;
  connections: number;
  maxInFlight?: number;
}

/**
 * Sends events at a fixed rate, evenly spaced (open loop: a slow answer does not delay the next
 * send), each stamped with its own send time. autocannon's `overallRate` sends each connection's
 * share of a second in a burst at the start of the second, which would add queueing of its own to
 * a latency measured end to end.
 */
export async function sendAtFixedRate(options: PacedSendOptions): Promise<PacedSendResult> {
  const target = new URL(options.url);
  const pool = new Pool(target.origin, { connections: options.connections, keepAliveTimeout: 30_000 });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${options.apiKey}` };
  const maxInFlight = options.maxInFlight ?? options.connections * 20;
  const latencies: number[] = [];
  const result = {
    sent: 0,
    accepted: 0,
    rejected: 0,
    errors: 0,
    firstError: null as string | null,
    skipped: 0,
  };
  let inFlight = 0;
  const pending = new Set<Promise<void>>();

  const sendOne = async (sequence: number) => {
    const started = performance.now();
    try {
      const response = await pool.request({
        method: 'POST',
        path: target.pathname,
        headers,
        body: eventBody(options.eventType, options.run, sequence),
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      const text = await response.body.text();
      if (response.statusCode === 202) {
        result.accepted++;
        latencies.push(performance.now() - started);
      } else {
        result.rejected++;
        result.firstError ??= `HTTP ${response.statusCode}: ${text.slice(0, 200)}`;
      }
    } catch (error) {
      result.errors++;
      result.firstError ??= error instanceof Error ? error.message : String(error);
    }
  };

  const startedAt = performance.now();
  const total = Math.round((options.ratePerSecond * options.durationMs) / 1000);
  let due = 0;
  while (due < total) {
    const elapsed = performance.now() - startedAt;
    const dueNow = Math.min(total, Math.floor((elapsed * options.ratePerSecond) / 1000) + 1);
    for (; due < dueNow; due++) {
      if (inFlight >= maxInFlight) {
        result.skipped++;
        continue;
      }
      inFlight++;
      result.sent++;
      const request = sendOne(due).finally(() => {
        inFlight--;
        pending.delete(request);
      });
      pending.add(request);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const durationMs = performance.now() - startedAt;
  await Promise.all(pending);
  await pool.close();
  return { ...result, durationMs, apiLatency: summarizeLatencies(latencies) };
}
