import type { DeliveryStatus } from '../entities/event-delivery.entity';
import type { DueDelivery } from './delivery.repository';

/** A status a delivery can be sent again from: every one but `processing`, whose attempt is in flight. */
export type ResendableStatus = Exclude<DeliveryStatus, 'processing'>;

export const RESENDABLE_STATUSES: ResendableStatus[] = [
  'scheduled',
  'retry',
  'failure',
  'success',
  'discarded',
];

/** A delivery just made due again. */
export interface ResentDelivery extends DueDelivery {
  /**
   * It was a `retry` still waiting out its backoff, so a delayed job for its next attempt may
   * exist and must be brought forward. A due delivery's job may be held back on purpose instead
   * (rate limit, open circuit), and is left alone.
   */
  wasBackingOff: boolean;
}

/** The deliveries of one project that an operator asks to send again. */
export interface DeliverySelection {
  statuses: ResendableStatus[];
  endpointId?: string;
  eventId?: string;
  /** Exact event type; needs the events table. */
  eventType?: string;
  createdAfter?: Date;
  createdBefore?: Date;
}

export interface SelectionSql {
  /** Over `event_deliveries d`. */
  from: string;
  where: string;
  /** The placeholder of the statuses parameter, for a statement that checks the status again. */
  statuses: string;
}

/** The SQL of a selection, with its parameters appended to `params`. */
export function selectionSql(
  projectId: string,
  selection: DeliverySelection,
  params: unknown[],
): SelectionSql {
  const param = (value: unknown) => `$${params.push(value)}`;
  const statuses = `${param(selection.statuses)}::text[]`;
  const conditions = [
    `d.project_id = ${param(projectId)}::uuid`,
    `d.status = ANY(${statuses})`,
    // Never take a delivery whose attempt is in flight, whatever the caller asked for.
    `d.status <> 'processing'`,
  ];
  if (selection.endpointId) conditions.push(`d.endpoint_id = ${param(selection.endpointId)}::uuid`);
  if (selection.eventId) conditions.push(`d.event_id = ${param(selection.eventId)}::uuid`);
  if (selection.createdAfter) conditions.push(`d.created_at >= ${param(selection.createdAfter)}`);
  if (selection.createdBefore) conditions.push(`d.created_at < ${param(selection.createdBefore)}`);
  let from = 'event_deliveries d';
  if (selection.eventType) {
    from += ' JOIN events e ON e.id = d.event_id AND e.project_id = d.project_id';
    conditions.push(`e.event_type = ${param(selection.eventType)}`);
  }
  return { from, where: conditions.join(' AND '), statuses };
}

/**
 * The status a delivery takes when it is made due again: `scheduled` stays as it is (its first
 * attempt is still ahead), anything else becomes `retry`, keeping its attempt count.
 */
export const RESENT_STATUS_SQL = `CASE WHEN d.status = 'scheduled' THEN 'scheduled' ELSE 'retry' END`;
