import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

/** Delivery statuses nothing will change any more without a user asking: the only ones purged. */
export const FINISHED_STATUSES = ['success', 'failure', 'discarded'] as const;
export type FinishedStatus = (typeof FINISHED_STATUSES)[number];

/** One bounded step through a project's rows, in id order; `lastId` is where the next step starts. */
export interface PurgeStep {
  /** Rows looked at in this step; fewer than the batch size means the range is done. */
  scanned: number;
  lastId: string | null;
}

export interface DeliveriesStep extends PurgeStep {
  deliveries: number;
  attempts: number;
}

export interface EventsStep extends PurgeStep {
  events: number;
}

/** Smaller than every UUID: where a walk through a project's rows starts. */
export const FIRST_ID = '00000000-0000-0000-0000-000000000000';

/**
 * The purge's statements, each one bounded by `limit` rows and its own short transaction, so no
 * lock is held for long and a stopped purge leaves nothing half-done.
 *
 * This lib deletes from tables the events and delivery libs own. It is the one exception to "a
 * lib queries only its own tables", made on purpose: whether an event may go depends on its
 * deliveries, and that check must hold in the same transaction as the delete (see
 * deleteExpiredEvents); split across two libs, it could not.
 */
@Injectable()
export class PurgeRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Deletes up to `limit` deliveries of one finished status, created before `beforeId`, and their
   * attempts. FOR UPDATE re-reads a row that changed under it, so a delivery retried meanwhile
   * (back to scheduled) is left alone; SKIP LOCKED passes over rows another transaction holds.
   * Attempts are deleted explicitly, not left to the foreign key's cascade, to count them.
   */
  async deleteFinishedDeliveries(projectId: string, status: FinishedStatus, afterId: string, beforeId: string, limit: number): Promise<DeliveriesStep> {
    const [row]: { scanned: number; last_id: string | null; deliveries: number; attempts: number }[] = await this.db.query(
      `WITH doomed AS (
         SELECT id FROM event_deliveries
          WHERE project_id = $1 AND status = $2 AND id > $3 AND id < $4
          ORDER BY id LIMIT $5
          FOR UPDATE SKIP LOCKED
       ), attempts AS (
         DELETE FROM delivery_attempts a USING doomed WHERE a.delivery_id = doomed.id RETURNING 1
       ), deliveries AS (
         DELETE FROM event_deliveries d USING doomed WHERE d.id = doomed.id RETURNING 1
       )
       SELECT (SELECT count(*) FROM doomed)::int AS scanned,
              (SELECT id::text FROM doomed ORDER BY id DESC LIMIT 1) AS last_id,
              (SELECT count(*) FROM deliveries)::int AS deliveries,
              (SELECT count(*) FROM attempts)::int AS attempts`,
      [projectId, status, afterId, beforeId, limit],
    );
    return { scanned: row.scanned, lastId: row.last_id, deliveries: row.deliveries, attempts: row.attempts };
  }

  /**
   * Deletes events created before `beforeId` that are routed and have no delivery left (their
   * finished ones went first; a pending one keeps its event). It reads up to `limit` events in id
   * order, so events that must stay cost one step, not a rescan each time.
   *
   * Two statements: the first locks the candidates, which waits for any transaction still
   * inserting a delivery for one of them (it holds a key-share lock on the event); the second,
   * with a new snapshot, sees such a delivery and keeps the event. In one statement the delete
   * would go ahead on its older snapshot and cascade to the new delivery.
   */
  async deleteExpiredEvents(projectId: string, afterId: string, beforeId: string, limit: number): Promise<EventsStep> {
    return this.db.transaction(async (manager) => {
      const [row]: { scanned: number; last_id: string | null; ids: string[] }[] = await manager.query(
        `WITH candidates AS (
           SELECT id FROM events WHERE project_id = $1 AND id > $2 AND id < $3 ORDER BY id LIMIT $4
         ), locked AS (
           SELECT e.id FROM events e JOIN candidates c ON c.id = e.id
            WHERE e.routed_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM event_deliveries d WHERE d.event_id = e.id)
            FOR UPDATE OF e SKIP LOCKED
         )
         SELECT (SELECT count(*) FROM candidates)::int AS scanned,
                (SELECT id::text FROM candidates ORDER BY id DESC LIMIT 1) AS last_id,
                (SELECT coalesce(array_agg(id::text), '{}') FROM locked) AS ids`,
        [projectId, afterId, beforeId, limit],
      );
      if (row.ids.length === 0) return { scanned: row.scanned, lastId: row.last_id, events: 0 };
      const [deleted]: { events: number }[] = await manager.query(
        `WITH deleted AS (
           DELETE FROM events e
            WHERE e.id = ANY($1::uuid[])
              AND NOT EXISTS (SELECT 1 FROM event_deliveries d WHERE d.event_id = e.id)
           RETURNING 1
         )
         SELECT count(*)::int AS events FROM deleted`,
        [row.ids],
      );
      return { scanned: row.scanned, lastId: row.last_id, events: deleted.events };
    });
  }
}
