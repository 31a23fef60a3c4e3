import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { readFromReplica } from '@caravan/database';
import { idBoundAt, MicroBatcher, newId, PageRequest, rowByRowOnFailure, throwIfError } from '@caravan/common';
import { DataSource, Repository } from 'typeorm';
import { Event, eventRowsSql } from '@caravan/events';
import { DeliveryAttempt } from '../entities/delivery-attempt.entity';
import { AttemptStatements } from './attempt-statements';
import { DeliveryStatus, EventDelivery } from '../entities/event-delivery.entity';
import { DeliverySelection, RESENT_STATUS_SQL, ResendableStatus, ResentDelivery, selectionSql } from './delivery-selection';

export interface NewDelivery {
  endpointId: string;
  subscriptionId: string | null;
}

interface EventTargets {
  projectId: string;
  eventId: string;
  targets: NewDelivery[];
  claimForMs: number | null;
}

export interface CreatedDelivery {
  id: string;
  endpointId: string;
  subscriptionId: string | null;
}

export interface ClaimedDelivery {
  id: string;
  projectId: string;
  eventId: string;
  endpointId: string;
  subscriptionId: string | null;
  attemptCount: number;
}

export interface DeliveryOutcome {
  status: Extract<DeliveryStatus, 'success' | 'retry' | 'failure'>;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
}

/** What a search of one project's deliveries asks for; every field narrows it (AND). */
export interface DeliveryFilter {
  /** Any of these statuses. */
  status?: DeliveryStatus[];
  /** To any of these endpoints (one, or an owner's). */
  endpointIds?: string[];
  eventId?: string;
  /** Of events of any of these types. */
  eventTypes?: string[];
  /** Of the event sent with this idempotency key. */
  idempotencyKey?: string;
  /** Inclusive. */
  createdAfter?: Date;
  /** Exclusive. */
  createdBefore?: Date;
}

export interface DueDelivery {
  id: string;
  projectId: string;
  endpointId: string;
  status: DeliveryStatus;
  attemptCount: number;
}

@Injectable()
export class DeliveryRepository {
  private readonly attemptStatements: AttemptStatements;
  private readonly deliveryInserts: MicroBatcher<EventTargets, CreatedDelivery[] | Error>;

  constructor(
    @InjectRepository(EventDelivery) private readonly deliveries: Repository<EventDelivery>,
    @InjectRepository(DeliveryAttempt) private readonly attempts: Repository<DeliveryAttempt>,
    @InjectDataSource() private readonly db: DataSource,
  ) {
    this.attemptStatements = new AttemptStatements(db);
    this.deliveryInserts = new MicroBatcher((batch) => rowByRowOnFailure(batch, (events) => this.insertBatch(events)), 200, 1);
  }

  /**
   * Creates the event's deliveries that do not exist yet and marks the event routed, in one
   * statement: routing's two writes, shared with the routings that run meanwhile. An event with
   * deliveries that is not marked, or the reverse, cannot happen. Returns the new deliveries.
   *
   * `claimForMs` null: the deliveries are due, so if their first attempts are never started (the
   * agent dies now) the sweeper starts them. A number: they are created already claimed for
   * attempt 1, as claim() would, for their endpoint's timeout plus `claimForMs`; the caller sends
   * them or hands the claims back (releaseClaims), and if it dies the claims expire.
   */
  async insertMissing(projectId: string, eventId: string, targets: NewDelivery[], claimForMs: number | null): Promise<CreatedDelivery[]> {
    return throwIfError(await this.deliveryInserts.add({ projectId, eventId, targets, claimForMs }));
  }

  private async insertBatch(batch: EventTargets[]): Promise<CreatedDelivery[][]> {
    const params: unknown[] = [];
    const deliveries = newDeliveriesSql(
      batch.flatMap(({ eventId, projectId, targets, claimForMs }) => targets.map((target) => ({ eventId, projectId, target, claimForMs }))),
      params,
    );
    const marks = `unnest($${params.push(batch.map((entry) => entry.eventId))}::uuid[], $${params.push(batch.map((entry) => entry.projectId))}::uuid[])`;
    const inserted: InsertedDelivery[] = await this.db.query(
      `WITH inserted AS (${deliveries}), routed AS (
         UPDATE events e SET routed_at = now()
         FROM ${marks} AS m(id, project_id)
         WHERE e.id = m.id AND e.project_id = m.project_id AND e.routed_at IS NULL
       )
       SELECT id, event_id, endpoint_id, subscription_id FROM inserted`,
      params,
    );
    const byEvent = deliveriesByEvent(inserted);
    // An event routed twice in one batch: its new deliveries go to the first caller only.
    return batch.map(({ eventId }) => {
      const created = byEvent.get(eventId) ?? [];
      byEvent.delete(eventId);
      return created;
    });
  }

  /**
   * Stores new events already routed, with their deliveries (`targets[i]` for `events[i]`) created
   * claimed for their first attempts as insertMissing does, in one statement: all or none.
   * Returns each event's creation time and deliveries, in order.
   */
  async insertRoutedEvents(
    events: Event[],
    targets: NewDelivery[][],
    claimForMs: number,
  ): Promise<{ createdAt: Date; deliveries: CreatedDelivery[] }[]> {
    const params: unknown[] = [];
    const eventRows = eventRowsSql(events, params, 'now()');
    const deliveries = newDeliveriesSql(
      events.flatMap((event, i) => targets[i].map((target) => ({ eventId: event.id, projectId: event.projectId, target, claimForMs }))),
      params,
    );
    const rows: (InsertedDelivery & { created_at: Date | null })[] = await this.db.query(
      `WITH stored AS (
         INSERT INTO events ${eventRows} RETURNING id, created_at
       ), created AS (${deliveries})
       SELECT id, created_at, NULL::uuid AS event_id, NULL::uuid AS endpoint_id, NULL::uuid AS subscription_id FROM stored
       UNION ALL
       SELECT id, NULL, event_id, endpoint_id, subscription_id FROM created`,
      params,
    );
    const createdAt = new Map(rows.filter((row) => row.created_at).map((row) => [row.id, row.created_at!]));
    const byEvent = deliveriesByEvent(rows.filter((row) => !row.created_at));
    return events.map((event) => ({ createdAt: createdAt.get(event.id)!, deliveries: byEvent.get(event.id) ?? [] }));
  }

  /**
   * Takes a due delivery for one attempt, atomically, so two workers never send the same attempt.
   * A delivery left `processing` by a dead agent is taken again once its lock expires, with the
   * same attempt number: that attempt has no recorded result.
   */
  claim(projectId: string, deliveryId: string, lockMs: number): Promise<ClaimedDelivery | null> {
    return this.attemptStatements.claim(projectId, deliveryId, lockMs);
  }

  /**
   * Hands back claims of first attempts that were not sent (created claimed by insertMissing):
   * the deliveries are due again, with no attempt counted. A claim whose lock has run out is left
   * alone, as another agent may hold it by now.
   */
  async releaseClaims(claims: { projectId: string; id: string }[]): Promise<void> {
    if (claims.length === 0) return;
    await this.db.query(
      `UPDATE event_deliveries d SET status = 'scheduled', attempt_count = 0, next_attempt_at = now(), updated_at = now()
       FROM unnest($1::uuid[], $2::uuid[]) AS c(id, project_id)
       WHERE d.id = c.id AND d.project_id = c.project_id
         AND d.status = 'processing' AND d.attempt_count = 1 AND d.next_attempt_at > now()`,
      [claims.map((claim) => claim.id), claims.map((claim) => claim.projectId)],
    );
  }

  /**
   * Records the attempt and moves the delivery on, atomically, only if this worker still holds
   * the claim. Returns false when the claim was lost (the lock expired meanwhile); the attempt is
   * kept either way, as it was made.
   */
  recordAttempt(claimed: ClaimedDelivery, attempt: DeliveryAttempt, outcome: DeliveryOutcome): Promise<boolean> {
    return this.attemptStatements.record(claimed, attempt, outcome);
  }

  /** Deliveries whose time has come (or whose lock expired) before `dueBefore`: candidates for the sweeper. */
  async findDue(dueBefore: Date, excludeEndpointIds: string[], limit: number): Promise<DueDelivery[]> {
    const rows: { id: string; project_id: string; endpoint_id: string; status: DeliveryStatus; attempt_count: number }[] =
      await this.db.query(
        `SELECT id, project_id, endpoint_id, status, attempt_count FROM event_deliveries
         WHERE status IN ('scheduled', 'retry', 'processing') AND next_attempt_at < $1
           AND NOT (endpoint_id = ANY($2::uuid[]))
         ORDER BY next_attempt_at
         LIMIT $3`,
        [dueBefore, excludeEndpointIds, limit],
      );
    return rows.map((row) => ({
      id: row.id,
      projectId: row.project_id,
      endpointId: row.endpoint_id,
      status: row.status,
      attemptCount: row.attempt_count,
    }));
  }

  /**
   * One batch of an endpoint's waiting deliveries (ids above `afterId`), made due now. Retries
   * still backing off keep their time. Used when an endpoint is activated.
   */
  async makeDueNow(projectId: string, endpointId: string, afterId: string | null, limit: number): Promise<DueDelivery[]> {
    const [rows]: [{ id: string; attempt_count: number; status: DeliveryStatus }[]] = await this.db.query(
      `UPDATE event_deliveries SET next_attempt_at = now(), updated_at = now()
       WHERE id IN (
         SELECT id FROM event_deliveries
         WHERE endpoint_id = $2 AND project_id = $1 AND id > $3
           AND (status = 'scheduled' OR (status = 'retry' AND next_attempt_at <= now()))
         ORDER BY id LIMIT $4)
       RETURNING id, attempt_count, status`,
      [projectId, endpointId, afterId ?? '00000000-0000-0000-0000-000000000000', limit],
    );
    return rows
      .map((row) => ({ id: row.id, projectId, endpointId, status: row.status, attemptCount: row.attempt_count }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  findById(projectId: string, deliveryId: string): Promise<EventDelivery | null> {
    return this.deliveries.findOneBy({ projectId, id: deliveryId });
  }

  /**
   * One page of the project's deliveries matching the filter, newest first. Filters on the event
   * (its type, its idempotency key) read the events table in the same statement, as the batch
   * retry selection does: a page must be cut after filtering, so it cannot be two queries.
   */
  async listPage(projectId: string, page: PageRequest, filter: DeliveryFilter): Promise<EventDelivery[]> {
    const query = this.deliveries
      .createQueryBuilder('delivery')
      .where('delivery.project_id = :projectId', { projectId })
      .orderBy('delivery.id', 'DESC')
      .take(page.limit + 1);
    if (page.beforeId) query.andWhere('delivery.id < :beforeId', { beforeId: page.beforeId });
    if (filter.status?.length) query.andWhere('delivery.status IN (:...status)', { status: filter.status });
    if (filter.endpointIds) query.andWhere('delivery.endpoint_id IN (:...endpointIds)', { endpointIds: filter.endpointIds });
    if (filter.eventId) query.andWhere('delivery.event_id = :eventId', { eventId: filter.eventId });
    if (filter.eventTypes?.length) {
      query.andWhere(
        `EXISTS (SELECT 1 FROM events e WHERE e.id = delivery.event_id AND e.project_id = :projectId AND e.event_type IN (:...eventTypes))`,
        { eventTypes: filter.eventTypes },
      );
    }
    if (filter.idempotencyKey !== undefined) {
      query.andWhere(
        `delivery.event_id IN (SELECT e.id FROM events e WHERE e.project_id = :projectId AND e.idempotency_key = :idempotencyKey)`,
        { idempotencyKey: filter.idempotencyKey },
      );
    }
    // Delivery ids are UUIDv7 too: the id bound lets (project_id, id) skip to the time range.
    if (filter.createdAfter) {
      query
        .andWhere('delivery.id >= :lowId', { lowId: idBoundAt(new Date(filter.createdAfter.getTime() - 1000), 'lowest') })
        .andWhere('delivery.created_at >= :createdAfter', { createdAfter: filter.createdAfter });
    }
    if (filter.createdBefore) {
      query
        .andWhere('delivery.id <= :highId', { highId: idBoundAt(new Date(filter.createdBefore.getTime() + 1000), 'highest') })
        .andWhere('delivery.created_at < :createdBefore', { createdBefore: filter.createdBefore });
    }
    return readFromReplica(this.db, (runner) => query.setQueryRunner(runner).getMany());
  }

  attemptsOf(projectId: string, deliveryId: string): Promise<DeliveryAttempt[]> {
    return this.attempts.find({ where: { projectId, deliveryId }, order: { attemptNumber: 'ASC' } });
  }

  /**
   * Makes the given deliveries due now, those whose status is one of `statuses`; never one whose
   * attempt is in flight. The attempt count is kept, so the next attempt is attempt_count + 1.
   * Returns the deliveries it changed.
   */
  async resendNow(projectId: string, deliveryIds: string[], statuses: ResendableStatus[]): Promise<ResentDelivery[]> {
    if (deliveryIds.length === 0) return [];
    const rows: ResentRow[] = await this.db.query(
      `WITH picked AS (
         SELECT d.id, d.status = 'retry' AND d.next_attempt_at > now() AS was_backing_off FROM event_deliveries d
         WHERE d.project_id = $1 AND d.id = ANY($2::uuid[])
       ), resent AS (
         UPDATE event_deliveries d SET status = ${RESENT_STATUS_SQL}, next_attempt_at = now(), updated_at = now()
         FROM picked
         WHERE d.id = picked.id AND d.status = ANY($3::text[]) AND d.status <> 'processing'
         RETURNING d.id, d.endpoint_id, d.status, d.attempt_count
       )
       SELECT picked.id, picked.was_backing_off, resent.endpoint_id, resent.status, resent.attempt_count
       FROM picked JOIN resent ON resent.id = picked.id
       ORDER BY picked.id`,
      [projectId, deliveryIds, statuses],
    );
    return resentDeliveries(projectId, rows);
  }

  /** How many deliveries a selection holds now, and the database's time of the count. */
  async countSelection(projectId: string, selection: DeliverySelection): Promise<{ count: number; countedAt: Date }> {
    const params: unknown[] = [];
    const { from, where } = selectionSql(projectId, selection, params);
    const [row]: { count: number; counted_at: Date }[] = await this.db.query(
      `SELECT count(*)::int AS count, now() AS counted_at FROM ${from} WHERE ${where}`,
      params,
    );
    return { count: row.count, countedAt: row.counted_at };
  }

  /**
   * One batch of a selection, in id order after `afterId`, made due now in one statement.
   * `lastId` is the last id the batch looked at (null when none are left), so a caller pages on
   * even when every delivery of a batch changed status meanwhile and was left alone.
   */
  async resendSelectionBatch(
    projectId: string,
    selection: DeliverySelection,
    afterId: string | null,
    limit: number,
  ): Promise<{ lastId: string | null; due: ResentDelivery[] }> {
    const params: unknown[] = [];
    const { from, where, statuses } = selectionSql(projectId, selection, params);
    const after = `$${params.push(afterId ?? '00000000-0000-0000-0000-000000000000')}::uuid`;
    const take = `$${params.push(limit)}`;
    // The UPDATE checks the status again on the row it locks: one that began an attempt meanwhile is left alone.
    const rows: (Omit<ResentRow, 'endpoint_id'> & { endpoint_id: string | null })[] = await this.db.query(
      `WITH picked AS (
         SELECT d.id, d.status = 'retry' AND d.next_attempt_at > now() AS was_backing_off FROM ${from}
         WHERE ${where} AND d.id > ${after} ORDER BY d.id LIMIT ${take}
       ), resent AS (
         UPDATE event_deliveries d SET status = ${RESENT_STATUS_SQL}, next_attempt_at = now(), updated_at = now()
         FROM picked
         WHERE d.id = picked.id AND d.status = ANY(${statuses}) AND d.status <> 'processing'
         RETURNING d.id, d.endpoint_id, d.status, d.attempt_count
       )
       SELECT picked.id, picked.was_backing_off, resent.endpoint_id, resent.status, resent.attempt_count
       FROM picked LEFT JOIN resent ON resent.id = picked.id
       ORDER BY picked.id`,
      params,
    );
    const resent = rows.filter((row): row is ResentRow => row.endpoint_id !== null);
    return { lastId: rows.length > 0 ? rows[rows.length - 1].id : null, due: resentDeliveries(projectId, resent) };
  }
}

interface ResentRow {
  id: string;
  was_backing_off: boolean;
  endpoint_id: string;
  status: DeliveryStatus;
  attempt_count: number;
}

function resentDeliveries(projectId: string, rows: ResentRow[]): ResentDelivery[] {
  return rows.map((row) => ({
    id: row.id,
    projectId,
    endpointId: row.endpoint_id,
    status: row.status,
    attemptCount: row.attempt_count,
    wasBackingOff: row.was_backing_off,
  }));
}

interface InsertedDelivery {
  id: string;
  event_id: string;
  endpoint_id: string;
  subscription_id: string | null;
}

/**
 * The INSERT of new deliveries, its values pushed onto `params`, answering the rows it created:
 * due with no attempt when `claimForMs` is null, else claimed for attempt 1 for the endpoint's
 * timeout plus `claimForMs`. A delivery that exists already is skipped, and so is one whose
 * endpoint was deleted meanwhile (no timeout to claim it for, and nothing to send it to).
 */
function newDeliveriesSql(
  deliveries: { eventId: string; projectId: string; target: NewDelivery; claimForMs: number | null }[],
  params: unknown[],
): string {
  const columns = [
    deliveries.map(() => newId()),
    deliveries.map((delivery) => delivery.projectId),
    deliveries.map((delivery) => delivery.eventId),
    deliveries.map((delivery) => delivery.target.endpointId),
    deliveries.map((delivery) => delivery.target.subscriptionId),
  ].map((values) => `$${params.push(values)}::uuid[]`);
  const claims = `$${params.push(deliveries.map((delivery) => delivery.claimForMs))}::float8[]`;
  return `INSERT INTO event_deliveries (id, project_id, event_id, endpoint_id, subscription_id, status, attempt_count, next_attempt_at)
    SELECT t.id, t.project_id, t.event_id, t.endpoint_id, t.subscription_id,
      CASE WHEN t.claim_ms IS NULL THEN 'scheduled' ELSE 'processing' END,
      CASE WHEN t.claim_ms IS NULL THEN 0 ELSE 1 END,
      now() + COALESCE(t.claim_ms + en.http_timeout_seconds * 1000, 0) * interval '1 millisecond'
    FROM unnest(${columns.join(', ')}, ${claims}) AS t(id, project_id, event_id, endpoint_id, subscription_id, claim_ms)
    JOIN endpoints en ON en.id = t.endpoint_id
    ON CONFLICT (event_id, endpoint_id) DO NOTHING
    RETURNING id, event_id, endpoint_id, subscription_id`;
}

/** Inserted deliveries grouped by their event, in the order they came. */
function deliveriesByEvent(rows: InsertedDelivery[]): Map<string, CreatedDelivery[]> {
  const byEvent = new Map<string, CreatedDelivery[]>();
  for (const row of rows) {
    const delivery = { id: row.id, endpointId: row.endpoint_id, subscriptionId: row.subscription_id };
    const created = byEvent.get(row.event_id);
    if (created) created.push(delivery);
    else byEvent.set(row.event_id, [delivery]);
  }
  return byEvent;
}
