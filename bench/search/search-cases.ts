/** Ids and values of the seeded data that the searches look for, read from the database after seeding. */
export interface SearchSubjects {
  projectId: string;
  /** Receives deliveries of about 6.5 % of the project's events. */
  busyEndpointId: string;
  /** Receives only the 0.25 % of events addressed to it. */
  quietEndpointId: string;
  sourceId: string;
  idempotencyKey: string;
  eventId: string;
  /** An order id (`ord_<i>`) of one of the project's events. */
  orderId: string;
  /** One hour in the middle of the seeded month. */
  hourStart: string;
  hourEnd: string;
}

export interface SearchCase {
  name: string;
  /** Path and query under /api/v1/projects/{id}, unencoded values encoded here. */
  path: string;
  /** Matching rows in the project: the WHERE clause over `events e` or `event_deliveries d` (params: $1 the project id). */
  count: string;
}

const q = (params: Record<string, string>) =>
  Object.entries(params)
    .map(([key, value]) => `${key}=${encodeURIComponent(value)}`)
    .join('&');

/** Every filter alone, some with a common and a rare value, and a few combinations. */
export function searchCases(s: SearchSubjects): SearchCase[] {
  const events = (name: string, params: Record<string, string>, where: string): SearchCase => ({
    name: `events ${name}`,
    path: `/events?${q(params)}`,
    count: `SELECT count(*)::int AS n FROM events e WHERE e.project_id = $1${where ? ` AND ${where}` : ''}`,
  });
  const deliveries = (name: string, params: Record<string, string>, where: string): SearchCase => ({
    name: `deliveries ${name}`,
    path: `/deliveries?${q(params)}`,
    count: `SELECT count(*)::int AS n FROM event_deliveries d WHERE d.project_id = $1${where ? ` AND ${where}` : ''}`,
  });
  const words = (text: string) =>
    `caravan_payload_words(e.payload) @@ websearch_to_tsquery('simple'::regconfig, '${text.replace(/'/g, "''")}')`;
  const contains = (json: string) => `caravan_payload_jsonb(e.payload) @> '${json}'::jsonb`;
  const hour = `e.created_at >= '${s.hourStart}' AND e.created_at < '${s.hourEnd}'`;
  const eventOf = (where: string) => `d.event_id IN (SELECT e.id FROM events e WHERE ${where})`;
  return [
    events('(no filter)', {}, ''),
    events('event_type, 40 %', { event_type: 'invoice.paid' }, `e.event_type = 'invoice.paid'`),
    events('event_type, 0.1 %', { event_type: 'dispute.opened' }, `e.event_type = 'dispute.opened'`),
    events('event_type, two types', { event_type: 'refund.created,dispute.opened' }, `e.event_type IN ('refund.created', 'dispute.opened')`),
    events(
      'endpoint_id, busy',
      { endpoint_id: s.busyEndpointId },
      `(e.endpoint_id = '${s.busyEndpointId}' OR EXISTS (SELECT 1 FROM event_deliveries d WHERE d.event_id = e.id AND d.endpoint_id = '${s.busyEndpointId}'))`,
    ),
    events(
      'endpoint_id, quiet',
      { endpoint_id: s.quietEndpointId },
      `(e.endpoint_id = '${s.quietEndpointId}' OR EXISTS (SELECT 1 FROM event_deliveries d WHERE d.event_id = e.id AND d.endpoint_id = '${s.quietEndpointId}'))`,
    ),
    events('owner_id', { owner_id: 'owner_3' }, `e.owner_id = 'owner_3'`),
    events('source_id', { source_id: s.sourceId }, `e.source_id = '${s.sourceId}'`),
    events('idempotency_key', { idempotency_key: s.idempotencyKey }, `e.idempotency_key = '${s.idempotencyKey}'`),
    events('created_after/before, 1 h', { created_after: s.hourStart, created_before: s.hourEnd }, hour),
    events('q, common word', { q: 'paid' }, words('paid')),
    events('q, rare words', { q: 'manual review' }, words('manual review')),
    events('q, e-mail address', { q: 'customer42@example.com' }, words('customer42@example.com')),
    events('q, quoted id', { q: `"${s.orderId}"` }, words(`"${s.orderId}"`)),
    events('data, customer id', { data: '{"customer":{"id":"cus_42"}}' }, contains('{"customer":{"id":"cus_42"}}')),
    events('data, order id', { data: `{"metadata":{"order_id":"${s.orderId}"}}` }, contains(`{"metadata":{"order_id":"${s.orderId}"}}`)),
    events('data, 25 % match', { data: '{"status":"void"}' }, contains('{"status":"void"}')),
    events(
      'event_type + data',
      { event_type: 'invoice.paid', data: '{"customer":{"id":"cus_42"}}' },
      `e.event_type = 'invoice.paid' AND ${contains('{"customer":{"id":"cus_42"}}')}`,
    ),
    events('owner_id + q + 1 h', { owner_id: 'owner_3', q: 'paid', created_after: s.hourStart, created_before: s.hourEnd }, `e.owner_id = 'owner_3' AND ${words('paid')} AND ${hour}`),
    deliveries('(no filter)', {}, ''),
    deliveries('status, 5 %', { status: 'failure' }, `d.status = 'failure'`),
    deliveries('status, two', { status: 'retry,failure' }, `d.status IN ('retry', 'failure')`),
    deliveries('endpoint_id', { endpoint_id: s.busyEndpointId }, `d.endpoint_id = '${s.busyEndpointId}'`),
    deliveries('event_id', { event_id: s.eventId }, `d.event_id = '${s.eventId}'`),
    deliveries('event_type, 40 %', { event_type: 'invoice.paid' }, eventOf(`e.event_type = 'invoice.paid'`)),
    deliveries('event_type, 0.1 %', { event_type: 'dispute.opened' }, eventOf(`e.event_type = 'dispute.opened'`)),
    deliveries(
      'owner_id',
      { owner_id: 'owner_3' },
      `d.endpoint_id IN (SELECT id FROM endpoints WHERE project_id = $1 AND owner_id = 'owner_3')`,
    ),
    deliveries('idempotency_key', { idempotency_key: s.idempotencyKey }, eventOf(`e.idempotency_key = '${s.idempotencyKey}'`)),
    deliveries(
      'created_after/before, 1 h',
      { created_after: s.hourStart, created_before: s.hourEnd },
      `d.created_at >= '${s.hourStart}' AND d.created_at < '${s.hourEnd}'`,
    ),
    deliveries(
      'status + event_type',
      { status: 'failure', event_type: 'dispute.opened' },
      `d.status = 'failure' AND ${eventOf(`e.event_type = 'dispute.opened'`)}`,
    ),
  ];
}
