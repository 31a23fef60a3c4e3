import { Client } from 'pg';

/** The projects, endpoints and sources the seed spreads its rows over, created through the API. */
export interface SeedTargets {
  /** Tenants, largest first: the first gets 70 % of the events, the second 20 %, the third 10 %. */
  projectIds: string[];
  /** ENDPOINTS_PER_PROJECT per project, in project order; endpoint k's owner is `owner_<k % 10>`. */
  endpointIds: string[];
  /** SOURCES_PER_PROJECT per project, in project order. */
  sourceIds: string[];
}

export const ENDPOINTS_PER_PROJECT = 20;
export const SOURCES_PER_PROJECT = 2;
export const SEED_DAYS = 30;

/**
 * One event per i, spread evenly over the last SEED_DAYS days, oldest first. Independent hashes of
 * i decide each property, so filters do not correlate with one another or with time:
 * - project: 70 / 20 / 10 %;
 * - event type: invoice.paid 40 %, invoice.created 25 %, customer.updated 15 %, subscription.renewed
 *   10 %, payment.failed 7 %, refund.created 2.9 %, dispute.opened 0.1 %;
 * - source_id 10 % (two sources), owner_id 20 % (owner_0 … owner_9), idempotency_key `idem_<i>`
 *   30 %, addressed to endpoint i % 20: 5 %;
 * - payload: an invoice of about 600 bytes: status paid / open / void / uncollectible (25 % each),
 *   customer cus_<i % 5000> with e-mail customer<i % 5000>@example.com, order ord_<i>, and a note
 *   "manual review requested by finance" on 0.1 %.
 * Deliveries: the addressed endpoint, or one of endpoints 0–18 (plus a second one for 30 %), so
 * endpoint 19 receives only the 0.25 % addressed to it; 88 % success, 5 % failure, 3 % retry,
 * 3 % scheduled, 1 % discarded. UUIDv7 ids carry each row's creation time, as Caravan's do.
 */
const SEED_EVENTS_SQL = `
  INSERT INTO events (id, project_id, event_type, payload, endpoint_id, owner_id, source_id, idempotency_key, routed_at, created_at)
  SELECT
    (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7' || substr(h, 1, 3) || '8' || substr(h, 4, 15))::uuid,
    ($1::uuid[])[1 + p],
    CASE WHEN t < 400 THEN 'invoice.paid' WHEN t < 650 THEN 'invoice.created' WHEN t < 800 THEN 'customer.updated'
         WHEN t < 900 THEN 'subscription.renewed' WHEN t < 970 THEN 'payment.failed' WHEN t < 999 THEN 'refund.created'
         ELSE 'dispute.opened' END,
    json_build_object(
      'id', 'in_' || i,
      'object', 'invoice',
      'status', (ARRAY['paid', 'open', 'void', 'uncollectible'])[1 + i % 4],
      'amount_due', 1000 + i % 9000,
      'currency', (ARRAY['eur', 'usd', 'gbp'])[1 + i % 3],
      'customer', json_build_object(
        'id', 'cus_' || (i % 5000),
        'email', 'customer' || (i % 5000) || '@example.com',
        'name', (ARRAY['Ada Lovelace', 'Grace Hopper', 'Alan Turing', 'Edsger Dijkstra', 'Barbara Liskov', 'Donald Knuth'])[1 + i % 6]),
      'lines', json_build_array(
        json_build_object('id', 'il_1', 'description', 'Pro plan (monthly)', 'amount', 3900, 'quantity', 1),
        json_build_object('id', 'il_2', 'description', 'Extra seats', 'amount', 300 + i % 1000, 'quantity', 1 + i % 5)),
      'period', json_build_object('start', to_char(ts, 'YYYY-MM-DD'), 'end', to_char(ts + interval '1 month', 'YYYY-MM-DD')),
      'metadata', json_build_object('order_id', 'ord_' || i, 'region', (ARRAY['eu-west-1', 'us-east-1', 'ap-south-1'])[1 + i % 3]),
      'note', CASE WHEN i % 1000 = 500 THEN 'manual review requested by finance' ELSE 'charged automatically' END
    )::text,
    CASE WHEN a < 50 THEN ($2::uuid[])[1 + p * ${ENDPOINTS_PER_PROJECT} + i % ${ENDPOINTS_PER_PROJECT}] END,
    CASE WHEN o >= 100 AND o < 300 THEN 'owner_' || (i % 10) END,
    CASE WHEN o < 100 THEN ($3::uuid[])[1 + p * ${SOURCES_PER_PROJECT} + i % ${SOURCES_PER_PROJECT}] END,
    CASE WHEN o >= 700 THEN 'idem_' || i END,
    ts + interval '50 milliseconds',
    ts
  FROM (
    SELECT i, ts, md5(i::text) AS h,
      CASE WHEN abs(hashint4(i)::bigint) % 1000 < 700 THEN 0 WHEN abs(hashint4(i)::bigint) % 1000 < 900 THEN 1 ELSE 2 END AS p,
      abs(hashint4(i + 100000000)::bigint) % 1000 AS t,
      abs(hashint4(i + 200000000)::bigint) % 1000 AS o,
      abs(hashint4(i + 300000000)::bigint) % 1000 AS a
    FROM (
      SELECT i, now() - interval '${SEED_DAYS} days' + i * (interval '${SEED_DAYS} days' / $4::int) AS ts
      FROM generate_series(1, $4::int) AS i
    ) times
  ) seeded`;

/** The deliveries of the events just seeded: one per event, and a second one for 30 % of those not addressed. */
const SEED_DELIVERIES_SQL = `
  INSERT INTO event_deliveries (id, project_id, event_id, endpoint_id, status, attempt_count, next_attempt_at, last_status_code, created_at, updated_at)
  SELECT
    (lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7' || substr(h, 1, 3) || '8' || substr(h, 4, 15))::uuid,
    project_id, event_id, ($1::uuid[])[1 + p * ${ENDPOINTS_PER_PROJECT} + k], status,
    CASE status WHEN 'success' THEN 1 WHEN 'failure' THEN 11 WHEN 'retry' THEN 3 ELSE 0 END,
    ts + interval '1 minute',
    CASE status WHEN 'success' THEN 200 WHEN 'failure' THEN 500 WHEN 'retry' THEN 503 END,
    ts, ts
  FROM (
    SELECT e.id AS event_id, e.project_id, e.p, e.created_at + interval '20 milliseconds' AS ts,
      md5(e.id::text || n) AS h,
      CASE WHEN n = 2 THEN (e.hk % 19 + 7) % 19
           WHEN e.endpoint_id IS NOT NULL THEN array_position($1::uuid[], e.endpoint_id) - 1 - e.p * ${ENDPOINTS_PER_PROJECT}
           ELSE e.hk % 19 END AS k,
      CASE WHEN s < 88 THEN 'success' WHEN s < 93 THEN 'failure' WHEN s < 96 THEN 'retry'
           WHEN s < 99 THEN 'scheduled' ELSE 'discarded' END AS status
    FROM (
      SELECT id, project_id, endpoint_id, created_at,
        array_position($2::uuid[], project_id) - 1 AS p,
        abs(hashint4(hashtext(id::text))::bigint) AS hk
      FROM events WHERE project_id = ANY($2::uuid[])
    ) e
    CROSS JOIN LATERAL generate_series(1, CASE WHEN e.endpoint_id IS NULL AND e.hk / 19 % 10 < 3 THEN 2 ELSE 1 END) AS n
    CROSS JOIN LATERAL (SELECT abs(hashint4(hashtext(e.id::text) # n)::bigint) % 100 AS s) status_hash
  ) d`;

/** Sets each seeded endpoint's owner, so that deliveries can be searched by owner. */
const SEED_OWNERS_SQL = `
  UPDATE endpoints SET owner_id = 'owner_' || ((array_position($1::uuid[], id) - 1) % ${ENDPOINTS_PER_PROJECT} % 10)
  WHERE id = ANY($1::uuid[])`;

export interface SeedTimings {
  eventsSeconds: number;
  deliveriesSeconds: number;
  events: number;
  deliveries: number;
}

/** Seeds `count` events and their deliveries server-side, with generate_series: no row crosses the wire. */
export async function seedSearchData(db: Client, targets: SeedTargets, count: number): Promise<SeedTimings> {
  await db.query(SEED_OWNERS_SQL, [targets.endpointIds]);
  let started = Date.now();
  const events = await db.query(SEED_EVENTS_SQL, [targets.projectIds, targets.endpointIds, targets.sourceIds, count]);
  const eventsSeconds = (Date.now() - started) / 1000;
  started = Date.now();
  const deliveries = await db.query(SEED_DELIVERIES_SQL, [targets.endpointIds, targets.projectIds]);
  return {
    eventsSeconds,
    deliveriesSeconds: (Date.now() - started) / 1000,
    events: events.rowCount ?? 0,
    deliveries: deliveries.rowCount ?? 0,
  };
}
