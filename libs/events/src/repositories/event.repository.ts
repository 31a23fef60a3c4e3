import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IdLoader, idBoundAt, MicroBatcher, PageRequest, rowByRowOnFailure, throwIfError } from '@caravan/common';
import { In, IsNull, LessThan, Repository } from 'typeorm';
import { Event } from '../entities/event.entity';

export interface EventFilter {
  eventType?: string;
  createdAfter?: Date;
  createdBefore?: Date;
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
    const columns = 8;
    const values: unknown[] = [];
    const rows = events.map((event, i) => {
      values.push(event.id, event.projectId, event.eventType, event.payload, event.customHeaders === null ? null : JSON.stringify(event.customHeaders), event.endpointId, event.ownerId, event.sourceId);
      const at = i * columns;
      return `($${at + 1}::uuid, $${at + 2}::uuid, $${at + 3}, $${at + 4}, $${at + 5}::jsonb, $${at + 6}::uuid, $${at + 7}, $${at + 8}::uuid)`;
    });
    const inserted: { id: string; created_at: Date }[] = await this.events.query(
      `INSERT INTO events (id, project_id, event_type, payload, custom_headers, endpoint_id, owner_id, source_id)
       VALUES ${rows.join(', ')}
       RETURNING id, created_at`,
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

  listPage(projectId: string, page: PageRequest, filter: EventFilter): Promise<Event[]> {
    const query = this.events
      .createQueryBuilder('event')
      .where('event.project_id = :projectId', { projectId })
      .orderBy('event.id', 'DESC')
      .take(page.limit + 1);
    if (page.beforeId) query.andWhere('event.id < :beforeId', { beforeId: page.beforeId });
    if (filter.eventType) query.andWhere('event.event_type = :eventType', { eventType: filter.eventType });
    if (filter.createdAfter) {
      query
        .andWhere('event.id >= :lowId', { lowId: idBoundAt(new Date(filter.createdAfter.getTime() - 1000), 'lowest') })
        .andWhere('event.created_at >= :createdAfter', { createdAfter: filter.createdAfter });
    }
    if (filter.createdBefore) {
      query
        .andWhere('event.id <= :highId', { highId: idBoundAt(new Date(filter.createdBefore.getTime() + 1000), 'highest') })
        .andWhere('event.created_at < :createdBefore', { createdBefore: filter.createdBefore });
    }
    return query.getMany();
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
