import { Pool } from 'undici';
import { eventBody } from '../event-payload';
import { LatencySummary, summarizeLatencies } from '../latency-summary';
import { ENDPOINT_COUNT } from '../caravan-under-test';
import { Receiver } from '../receiver';
import { epochMs, RUN_HEADER, TIMESTAMP_HEADER } from '../receiver-protocol';

export interface DeliveryBaselineResult {
  concurrency: number;
  durationSeconds: number;
  sent: number;
  failed: number;
  delivered: number;
  deliveriesPerSecond: number;
  /** Send to receipt, measured by the receiver as for Caravan's deliveries. */
  latency: LatencySummary;
  /** Send to answer, measured by the loop. */
  roundTrip: LatencySummary;
}

/**
 * The delivery ceiling: `concurrency` loops (the agent's delivery concurrency) POSTing the same
 * body Caravan delivers (the event's data) to the same receiver over kept-alive undici connections,
 * back to back, with headers like a delivery's. Nothing is read from or written to a store.
 */
export async function runDeliveryBaseline(
  receiver: Receiver,
  concurrency: number,
  durationSeconds: number,
): Promise<DeliveryBaselineResult> {
  const run = 'delivery-baseline';
  const origin = new URL(receiver.url(0)).origin;
  const pool = new Pool(origin, { connections: concurrency, keepAliveTimeout: 30_000 });
  const data = JSON.stringify((JSON.parse(eventBody('bench.baseline', run, 0)) as { data: unknown }).data);
  const roundTrips: number[] = [];
  let sequence = 0;
  let failed = 0;
  const deadline = performance.now() + durationSeconds * 1000;
  const startedAt = Date.now();

  const loop = async () => {
    while (performance.now() < deadline) {
      const id = sequence++;
      const started = performance.now();
      try {
        const response = await pool.request({
          method: 'POST',
          path: `/hook/${id % ENDPOINT_COUNT}`,
          headers: {
            'content-type': 'application/json',
            'user-agent': 'Caravan-bench-baseline',
            'x-caravan-event-id': `baseline-${id}`,
            'x-caravan-delivery-id': `baseline-${id}`,
            'x-caravan-attempt': '1',
            [TIMESTAMP_HEADER]: epochMs().toFixed(3),
            [RUN_HEADER]: run,
          },
          body: data,
        });
        await response.body.dump();
        if (response.statusCode === 200) roundTrips.push(performance.now() - started);
        else failed++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsedSeconds = (Date.now() - startedAt) / 1000;
  await pool.close();
  const stats = await receiver.waitForDeliveries(run, sequence - failed, {
    timeoutMs: 10_000,
    quietMs: 2_000,
  });
  receiver.forget(run);
  return {
    concurrency,
    durationSeconds: elapsedSeconds,
    sent: sequence,
    failed,
    delivered: stats.uniqueDeliveries,
    deliveriesPerSecond: stats.uniqueDeliveries / elapsedSeconds,
    latency: stats.latency,
    roundTrip: summarizeLatencies(roundTrips),
  };
}
