import { epochMs, RUN_HEADER, TIMESTAMP_HEADER } from './receiver-protocol';

/**
 * The JSON body of `POST /projects/{id}/events` that every phase sends: a typical invoice-style
 * payload of about 600 bytes, with the run's name and the send time as custom headers that Caravan
 * forwards on each delivery (the receiver measures latency from the timestamp).
 */
export function eventBody(eventType: string, run: string, sequence: number, sentAtMs = epochMs()): string {
  return JSON.stringify({
    event_type: eventType,
    data: {
      id: `in_${String(sequence).padStart(10, '0')}`,
      object: 'invoice',
      status: 'paid',
      amount_due: 4200 + (sequence % 1000),
      amount_paid: 4200 + (sequence % 1000),
      currency: 'eur',
      customer: {
        id: `cus_${sequence % 5000}`,
        email: `customer${sequence % 5000}@example.com`,
        name: 'Ada Lovelace',
      },
      lines: [
        { id: 'il_1', description: 'Pro plan (monthly)', amount: 3900, quantity: 1 },
        { id: 'il_2', description: 'Extra seats', amount: 300 + (sequence % 1000), quantity: 3 },
      ],
      period: { start: '2026-11-01T00:00:00Z', end: '2026-12-01T00:00:00Z' },
      metadata: { order_id: `ord_${sequence}`, region: 'eu-west-1' },
    },
    custom_headers: { [TIMESTAMP_HEADER]: sentAtMs.toFixed(3), [RUN_HEADER]: run },
  });
}
