import { CaravanUnderTest, EVENT_TYPES } from '../caravan-under-test';
import { LatencySummary } from '../latency-summary';
import { PacedSendResult, sendAtFixedRate } from '../paced-sender';
import { ProcessUsage, ProcessUsageSampler, WatchedProcesses } from '../process-usage';
import { Receiver } from '../receiver';
import { epochMs, ReceiverRunStats } from '../receiver-protocol';

export interface EndToEndPlan {
  fanOut: 1 | 10;
  eventsPerSecond: number;
  durationSeconds: number;
  /** The run's name at the receiver; by default from the fan-out and the rate. */
  run?: string;
}

export interface EndToEndResult extends EndToEndPlan {
  run: string;
  send: PacedSendResult;
  /** Accepted events × endpoints per event. */
  expected: number;
  delivered: number;
  /** Expected deliveries that had not arrived when the drain ended. */
  lost: number;
  duplicates: number;
  repeatedAttempts: number;
  retries: number;
  /** Distinct deliveries per second, from the first send to the last delivery. */
  deliveriesPerSecond: number;
  /** From the last send to the last delivery: how long the backlog took to clear. */
  drainSeconds: number;
  /** Created (send time) to delivered, measured by the receiver. */
  latency: LatencySummary;
  usage: Record<string, ProcessUsage>;
  /** When sending started and ended (ms since the epoch). */
  startedAtMs: number;
  sentAtMs: number;
}

export interface EndToEndContext {
  caravan: CaravanUnderTest;
  receiver: Receiver;
  processes: WatchedProcesses[];
  connections: number;
  drainTimeoutSeconds: number;
  say: (line: string) => void;
}

/**
 * Sends events at a fixed rate for a bounded time to endpoints on the receiver, then waits for the
 * tail: every expected delivery, or nothing new for 15 s, or the drain timeout.
 */
export async function runEndToEnd(plan: EndToEndPlan, context: EndToEndContext): Promise<EndToEndResult> {
  const { caravan, receiver } = context;
  const run = plan.run ?? `e2e-x${plan.fanOut}-${plan.eventsPerSecond}`;
  const sampler = await ProcessUsageSampler.start(context.processes);
  const startedAt = epochMs();
  const send = await sendAtFixedRate({
    url: caravan.eventsUrl,
    apiKey: caravan.projectKey,
    eventType: plan.fanOut === 1 ? EVENT_TYPES.fanOut1 : EVENT_TYPES.fanOut10,
    run,
    ratePerSecond: plan.eventsPerSecond,
    durationMs: plan.durationSeconds * 1000,
    connections: context.connections,
  });
  const sentAt = epochMs();
  const expected = send.accepted * plan.fanOut;
  const stats = await receiver.waitForDeliveries(run, expected, {
    timeoutMs: context.drainTimeoutSeconds * 1000,
    quietMs: 15_000,
    onProgress: (progress) => context.say(`    draining: ${progress.uniqueDeliveries}/${expected} delivered`),
  });
  const usage = await sampler.stop();
  return {
    ...plan,
    ...deliveryCounts(stats, expected, startedAt, sentAt),
    run,
    send,
    usage,
    startedAtMs: startedAt,
    sentAtMs: sentAt,
  };
}

/** The delivery numbers of a run from the receiver's stats; used again at the end to catch late repeats. */
export function deliveryCounts(stats: ReceiverRunStats, expected: number, startedAt: number, sentAt: number) {
  return {
    expected,
    delivered: stats.uniqueDeliveries,
    lost: Math.max(0, expected - stats.uniqueDeliveries),
    duplicates: stats.duplicateRequests,
    repeatedAttempts: stats.repeatedAttempts,
    retries: stats.retries,
    deliveriesPerSecond:
      stats.lastAt > startedAt ? stats.uniqueDeliveries / ((stats.lastAt - startedAt) / 1000) : 0,
    drainSeconds: Math.max(0, (stats.lastAt - sentAt) / 1000),
    latency: stats.latency,
  };
}
