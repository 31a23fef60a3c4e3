import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { PageRequest } from '@caravan/common';
import type { MetaEventType } from '@caravan/projects';
import { DataSource, Repository } from 'typeorm';
import { MetaEventAttempt } from '../entities/meta-event-attempt.entity';
import { MetaEvent, MetaEventStatus } from '../entities/meta-event.entity';

export interface NewMetaEvent {
  id: string;
  projectId: string;
  eventType: MetaEventType;
  payload: string;
}

export interface ClaimedMetaEvent {
  id: string;
  projectId: string;
  eventType: MetaEventType;
  payload: string;
  attemptCount: number;
}

export interface MetaEventOutcome {
  status: Extract<MetaEventStatus, 'success' | 'retry' | 'failure'>;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
}

export interface MetaEventFilter {
  status?: MetaEventStatus[];
  eventType?: MetaEventType;
}

export interface DueMetaEvent {
  id: string;
  projectId: string;
  status: MetaEventStatus;
  attemptCount: number;
}

@Injectable()
export class MetaEventRepository {
  constructor(
    @InjectRepository(MetaEvent) private readonly metaEvents: Repository<MetaEvent>,
    @InjectRepository(MetaEventAttempt) private readonly attempts: Repository<MetaEventAttempt>,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** New meta events, due now, in one statement. */
  async insertMany(rows: NewMetaEvent[]): Promise<void> {
    if (rows.length === 0) return;
    const values: unknown[] = [];
    const tuples = rows.map((row) => {
      const at = values.push(row.id, row.projectId, row.eventType, row.payload);
      return `($${at - 3}::uuid, $${at - 2}::uuid, $${at - 1}, $${at}, 'scheduled')`;
    });
    await this.db.query(
      `INSERT INTO meta_events (id, project_id, event_type, payload, status) VALUES ${tuples.join(', ')}`,
      values,
    );
  }

  /**
   * Takes a due meta event for one attempt, atomically. One left `processing` by a dead agent is
   * taken again once its lock expires, with the same attempt number: that attempt has no result.
   */
  async claim(projectId: string, metaEventId: string, lockMs: number): Promise<ClaimedMetaEvent | null> {
    const [rows]: [{ id: string; project_id: string; event_type: MetaEventType; payload: string; attempt_count: number }[]] =
      await this.db.query(
        `UPDATE meta_events SET
           status = 'processing',
           attempt_count = CASE WHEN status = 'processing' THEN attempt_count ELSE attempt_count + 1 END,
           next_attempt_at = now() + $3 * interval '1 millisecond',
           updated_at = now()
         WHERE id = $1 AND project_id = $2
           AND status IN ('scheduled', 'retry', 'processing')
           AND next_attempt_at <= now()
         RETURNING id, project_id, event_type, payload, attempt_count`,
        [metaEventId, projectId, lockMs],
      );
    const row = rows[0];
    return row
      ? { id: row.id, projectId: row.project_id, eventType: row.event_type, payload: row.payload, attemptCount: row.attempt_count }
      : null;
  }

  /** Records the attempt and moves the meta event on, in one statement, only while the claim holds. */
  async recordAttempt(claimed: ClaimedMetaEvent, attempt: MetaEventAttempt, outcome: MetaEventOutcome): Promise<boolean> {
    const [insert, insertParameters] = this.db
      .createQueryBuilder()
      .insert()
      .into(MetaEventAttempt)
      .values(attempt)
      .orIgnore()
      .updateEntity(false)
      .getQueryAndParameters();
    const at = insertParameters.length;
    // A data-modifying WITH runs whether or not the outer statement reads it.
    const [, affected]: [unknown, number] = await this.db.query(
      `WITH recorded_attempt AS (${insert})
       UPDATE meta_events SET status = $${at + 3}, next_attempt_at = $${at + 4}, last_status_code = $${at + 5}, last_error = $${at + 6}, updated_at = now()
       WHERE id = $${at + 1} AND status = 'processing' AND attempt_count = $${at + 2}`,
      [...insertParameters, claimed.id, claimed.attemptCount, outcome.status, outcome.nextAttemptAt, outcome.lastStatusCode, outcome.lastError],
    );
    return affected > 0;
  }

  /** Meta events due (or whose lock expired) before `dueBefore`: candidates for the sweeper. */
  async findDue(dueBefore: Date, limit: number): Promise<DueMetaEvent[]> {
    const rows: { id: string; project_id: string; status: MetaEventStatus; attempt_count: number }[] = await this.db.query(
      `SELECT id, project_id, status, attempt_count FROM meta_events
       WHERE status IN ('scheduled', 'retry', 'processing') AND next_attempt_at < $1
       ORDER BY next_attempt_at
       LIMIT $2`,
      [dueBefore, limit],
    );
    return rows.map((row) => ({ id: row.id, projectId: row.project_id, status: row.status, attemptCount: row.attempt_count }));
  }

  /**
   * Makes a meta event that is not in flight due now, as a further attempt (its count kept).
   * Returns its attempt count, or null when it is in flight or does not exist.
   */
  async resendNow(projectId: string, metaEventId: string): Promise<number | null> {
    const [rows]: [{ attempt_count: number }[]] = await this.db.query(
      `UPDATE meta_events SET status = 'retry', next_attempt_at = now(), updated_at = now()
       WHERE id = $1 AND project_id = $2 AND status <> 'processing'
       RETURNING attempt_count`,
      [metaEventId, projectId],
    );
    return rows[0]?.attempt_count ?? null;
  }

  findById(projectId: string, metaEventId: string): Promise<MetaEvent | null> {
    return this.metaEvents.findOneBy({ projectId, id: metaEventId });
  }

  listPage(projectId: string, page: PageRequest, filter: MetaEventFilter): Promise<MetaEvent[]> {
    const query = this.metaEvents
      .createQueryBuilder('meta_event')
      .where('meta_event.project_id = :projectId', { projectId })
      .orderBy('meta_event.id', 'DESC')
      .take(page.limit + 1);
    if (page.beforeId) query.andWhere('meta_event.id < :beforeId', { beforeId: page.beforeId });
    if (filter.status?.length) query.andWhere('meta_event.status IN (:...status)', { status: filter.status });
    if (filter.eventType) query.andWhere('meta_event.event_type = :eventType', { eventType: filter.eventType });
    return query.getMany();
  }

  attemptsOf(projectId: string, metaEventId: string): Promise<MetaEventAttempt[]> {
    return this.attempts.find({ where: { projectId, metaEventId }, order: { attemptNumber: 'ASC' } });
  }
}
