import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { readFromReplica } from '@caravan/database';
import { IdLoader, MicroBatcher, PageRequest, rowByRowOnFailure, throwIfError } from '@caravan/common';
import { In, IsNull, LessThan, Repository } from 'typeorm';
import { Event } from '../entities/event.entity';
import type { EventFilter } from './event-filter';
import { eventSearchSql } from './event-search-sql';

export type { EventFilter } from './event-filter';

/** A row of EVENT_COLUMNS as the driver returns it. */
interface EventRow {
  id: string;
  project_id: string;
  event_type: string;
  payload: string;
  custom_headers: Record<string, string> | null;
  endpoint_id: string | null;
  owner_id: string | null;
  source_id: string | null;
  idempotency_key: string | null;
  routed_at: Date | null;
  created_at: Date;
}

function toEvent(row: EventRow): Event {
  return Object.assign(new Event(), {
    id: row.id,
    projectId: row.project_id,
    eventType: row.event_type,
    payload: row.payload,
    customHeaders: row.custom_headers,
    endpointId: row.endpoint_id,
    ownerId: row.owner_id,
    sourceId: row.source_id,
    idempotencyKey: row.idempotency_key,
    idempotencySlot: null,
    routedAt: row.routed_at,
    createdAt: row.created_at,
  });
}

/**
 * `(columns) VALUES (...), ...` for inserting events without idempotency keys, their values pushed
 * onto `params`; `routedAt` is the SQL of the routed_at of every row (NULL, or now() for events
 * routed as they are stored).
 */
export function eventRowsSql(events: Event[], params: unknown[], routedAt: 'NULL' | 'now()'): string {
  const rows = events.map((event) => {
    const at = params.length;
    params.push(event.id, event.projectId, event.eventType, event.payload, event.customHeaders === null ? null : JSON.stringify(event.customHeaders), event.endpointId, event.ownerId, event.sourceId);
    return `($${at + 1}::uuid, $${at + 2}::uuid, $${at + 3}, $${at + 4}, $${at + 5}::jsonb, $${at + 6}::uuid, $${at + 7}, $${at + 8}::uuid, ${routedAt})`;
  });
  return `(id, project_id, event_type, payload, custom_headers, endpoint_id, owner_id, source_id, routed_at) VALUES ${rows.join(', ')}`;
}

@Injectable()
export class EventRepository {
  private readonly byId: IdLoader<Event, string>;
  private readonly routedMarks: MicroBatcher<{ projectId: string; eventId: string }, void | Error>;

  constructor(@InjectRepository(Event) private readonly events: Repository<Event>) {
    this.byId = new IdLoader((ids) => this.events.findBy({ id: In(ids) }), (row, projectId) => row.projectId === projectId);
    this.routedMarks = new MicroBatcher((marks) => rowByRowOnFailure(marks, (batch) => this.markRoutedBatch(batch)), 500, 1);
  }

  findById(projectId: string, eventId: string): Promise<Event | null> {
    return this.byId.load(eventId, projectId);
  }

  findByIdempotencySlot(projectId: string, idempotencySlot: string): Promise<Event | null> {
    return this.events.findOneBy({ projectId, idempotencySlot });
  }

  /**
   * Inserts events without idempotency keys in one statement, answering each one's creation
   * time in order. All or nothing: one bad row fails the statement.
   */
  async insertMany(events: Event[]): Promise<Date[]> {
    const values: unknown[] = [];
    const inserted: { id: string; created_at: Date }[] = await this.events.query(
      `INSERT INTO events ${eventRowsSql(events, values, 'NULL')} RETURNING id, created_at`,
      values,
    );
    const createdAt = new Map(inserted.map((row) => [row.id, row.created_at]));
    return events.map((event) => createdAt.get(event.id)!);
  }

  /**
   * Inserts unless the idempotency key is held by an event inside its window; false when it is.
   * The unique index decides between concurrent duplicates, not a read before the write.
   */
  async insertUnlessDuplicate(event: Event, windowSeconds: number): Promise<boolean> {
    if (event.idempotencySlot) {
      await this.events.query(
        `UPDATE events SET idempotency_slot = NULL
         WHERE project_id = $1 AND idempotency_slot = $2 AND created_at < now() - $3 * interval '1 second'`,
        [event.projectId, event.idempotencySlot, windowSeconds],
      );
    }
    const result = await this.events
      .createQueryBuilder()
      .insert()
      .values(event)
      .orIgnore()
      .returning(['id', 'createdAt'])
      .execute();
    const row = (result.raw as { id: string; created_at: Date }[])[0];
    if (!row) return false;
    event.createdAt = row.created_at;
    return true;
  }

  /** One page of the project's events matching the filter, newest first (see eventSearchSql). */
  async listPage(projectId: string, page: PageRequest, filter: EventFilter): Promise<Event[]> {
    const { sql, params } = eventSearchSql(projectId, page, filter);
    const rows: EventRow[] = await readFromReplica(this.events.manager.connection, (runner) => runner.query(sql, params));
    return rows.map(toEvent);
  }

  /** The marks of concurrent routings share one UPDATE. */
  async markRouted(projectId: string, eventId: string): Promise<void> {
    throwIfError(await this.routedMarks.add({ projectId, eventId }));
  }

  private async markRoutedBatch(marks: { projectId: string; eventId: string }[]): Promise<void[]> {
    await this.events.query(
      `UPDATE events e SET routed_at = now()
       FROM unnest($1::uuid[], $2::uuid[]) AS m(id, project_id)
       WHERE e.id = m.id AND e.project_id = m.project_id AND e.routed_at IS NULL`,
      [marks.map((mark) => mark.eventId), marks.map((mark) => mark.projectId)],
    );
    return marks.map(() => undefined);
  }

  findUnrouted(createdBefore: Date, limit: number): Promise<Pick<Event, 'id' | 'projectId'>[]> {
    return this.events.find({
      select: { id: true, projectId: true },
      where: { routedAt: IsNull(), createdAt: LessThan(createdBefore) },
      order: { createdAt: 'ASC' },
      take: limit,
    });
  }
}
