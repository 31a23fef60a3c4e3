import { performance } from 'node:perf_hooks';
import { newId } from '@caravan/common';
import { Client } from 'pg';
import { LatencySummary, summarizeLatencies } from '../latency-summary';

export const INSERT_BATCH_SIZE = 50;

export interface InsertProbeResult {
  events: number;
  eventsPerSecond: number;
  /** Per batch of INSERT_BATCH_SIZE events. */
  batch: LatencySummary;
}

/**
 * What the events table's indexes cost ingest: `count` events inserted into `projectId` as ingest
 * inserts them (EventRepository.insertMany: one multi-row INSERT per batch of 50, each its own
 * transaction and commit), one batch after the other on one connection, with payloads as varied
 * as the seeded ones. Run against the 1-million-row table, so every index is at its real size.
 */
export async function probeInserts(db: Client, projectId: string, count: number, offset: number): Promise<InsertProbeResult> {
  const batches = Math.ceil(count / INSERT_BATCH_SIZE);
  const samples: number[] = [];
  const started = performance.now();
  for (let batch = 0; batch < batches; batch++) {
    const values: unknown[] = [];
    const rows: string[] = [];
    for (let row = 0; row < INSERT_BATCH_SIZE; row++) {
      const sequence = offset + batch * INSERT_BATCH_SIZE + row;
      const at = values.length;
      values.push(newId(), projectId, 'invoice.paid', probePayload(sequence), sequence % 5 === 0 ? `owner_${sequence % 10}` : null);
      rows.push(`($${at + 1}::uuid, $${at + 2}::uuid, $${at + 3}, $${at + 4}, NULL::jsonb, NULL::uuid, $${at + 5}, NULL::uuid)`);
    }
    const sent = performance.now();
    await db.query(
      `INSERT INTO events (id, project_id, event_type, payload, custom_headers, endpoint_id, owner_id, source_id)
       VALUES ${rows.join(', ')} RETURNING id, created_at`,
      values,
    );
    samples.push(performance.now() - sent);
  }
  const seconds = (performance.now() - started) / 1000;
  const events = batches * INSERT_BATCH_SIZE;
  return { events, eventsPerSecond: events / seconds, batch: summarizeLatencies(samples) };
}

/** The seeded payload's shape, made in JavaScript as a sender would. */
function probePayload(i: number): string {
  return JSON.stringify({
    id: `in_p${i}`,
    object: 'invoice',
    status: ['paid', 'open', 'void', 'uncollectible'][i % 4],
    amount_due: 1000 + (i % 9000),
    currency: ['eur', 'usd', 'gbp'][i % 3],
    customer: { id: `cus_${i % 5000}`, email: `customer${i % 5000}@example.com`, name: 'Grace Hopper' },
    lines: [
      { id: 'il_1', description: 'Pro plan (monthly)', amount: 3900, quantity: 1 },
      { id: 'il_2', description: 'Extra seats', amount: 300 + (i % 1000), quantity: 1 + (i % 5) },
    ],
    period: { start: '2026-11-01', end: '2026-12-01' },
    metadata: { order_id: `ord_p${i}`, region: 'eu-west-1' },
    note: i % 1000 === 500 ? 'manual review requested by finance' : 'charged automatically',
  });
}
