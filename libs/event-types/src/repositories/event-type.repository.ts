import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ConflictError, PageRequest } from '@caravan/common';
import { IsNull, LessThan, Not, Repository } from 'typeorm';
import { EventType, JsonSchemaObject } from '../entities/event-type.entity';

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class EventTypeRepository {
  constructor(@InjectRepository(EventType) private readonly eventTypes: Repository<EventType>) {}

  findByName(projectId: string, name: string): Promise<EventType | null> {
    return this.eventTypes.findOneBy({ projectId, name });
  }

  listPage(projectId: string, page: PageRequest, category?: string): Promise<EventType[]> {
    return this.eventTypes.find({
      where: {
        projectId,
        ...(category !== undefined ? { category } : {}),
        ...(page.beforeId ? { id: LessThan(page.beforeId) } : {}),
      },
      order: { id: 'DESC' },
      take: page.limit + 1,
    });
  }

  /** A new name; the unique index decides between concurrent creations of the same one. */
  async insert(eventType: EventType): Promise<EventType> {
    try {
      return await this.eventTypes.save(eventType);
    } catch (error) {
      if (isUniqueViolation(error)) throw new ConflictError(`event type ${eventType.name} already exists`, 'name');
      throw error;
    }
  }

  save(eventType: EventType): Promise<EventType> {
    return this.eventTypes.save(eventType);
  }

  async delete(projectId: string, name: string): Promise<boolean> {
    const result = await this.eventTypes.delete({ projectId, name });
    return (result.affected ?? 0) > 0;
  }

  /**
   * One short row that changes whenever the project's catalogue does (a type added, changed or
   * removed), so a process can tell whether what it compiled is still current without reading
   * the schemas.
   */
  async catalogueVersion(projectId: string): Promise<string> {
    const row = await this.eventTypes
      .createQueryBuilder('t')
      .select('count(*)::int', 'count')
      .addSelect('max(t.updated_at)::text', 'latest')
      .where('t.project_id = :projectId', { projectId })
      .getRawOne<{ count: number; latest: string | null }>();
    return `${row?.count ?? 0}@${row?.latest ?? ''}`;
  }

  async schemasOf(projectId: string): Promise<{ name: string; schema: JsonSchemaObject }[]> {
    const rows = await this.eventTypes.find({
      select: { name: true, schema: true },
      where: { projectId, schema: Not(IsNull()) },
    });
    return rows.map((row) => ({ name: row.name, schema: row.schema! }));
  }
}

function isUniqueViolation(error: unknown): boolean {
  const failed = error as { code?: string; driverError?: { code?: string } };
  return (failed.driverError?.code ?? failed.code) === UNIQUE_VIOLATION;
}
