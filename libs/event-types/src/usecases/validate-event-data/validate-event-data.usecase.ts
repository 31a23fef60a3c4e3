import { Injectable, Logger } from '@nestjs/common';
import { RecentValues } from '@caravan/common';
import { EventTypeRepository } from '../../repositories/event-type.repository';
import type { JsonSchemaObject } from '../../entities/event-type.entity';
import { compileEventSchema, EventDataCheck } from '../../schema/event-schema';
import { describeViolation } from '../../schema/schema-violation';

/** How long a process trusts the catalogue it read; another process's change shows within this. */
export const EVENT_TYPE_CATALOGUE_MAX_AGE_MS = 1000;

interface CatalogueEntry {
  /** The schema's JSON text: an unchanged schema keeps its compiled check across reloads. */
  text: string;
  schema: JsonSchemaObject;
  /** Compiled on the first event of the type, not when the catalogue is read. */
  check?: EventDataCheck;
}

interface Catalogue {
  version: string;
  /** Only the types that have a schema. */
  schemas: Map<string, CatalogueEntry>;
}

/**
 * Ingest's check of an event's data against the schema registered for its type. It costs no
 * query per event: each project's schemas are read at most once a second per process (one
 * one-row query when nothing changed, the schemas only when something did), compiled once, and
 * kept in memory; the use cases that change the catalogue call forget() so this process sees a
 * change at once. Types without a schema, and unregistered types, pass.
 */
@Injectable()
export class ValidateEventData {
  private readonly logger = new Logger(ValidateEventData.name);
  private readonly catalogues = new RecentValues<Catalogue>(EVENT_TYPE_CATALOGUE_MAX_AGE_MS);

  constructor(private readonly eventTypes: EventTypeRepository) {}

  /** Throws EventSchemaViolation (400, field `data...`) when the data breaks its type's schema. */
  async execute(projectId: string, eventType: string, data: unknown): Promise<void> {
    const catalogue = await this.catalogues.get(projectId, (expired) => this.load(projectId, expired));
    const entry = catalogue.schemas.get(eventType);
    if (!entry) return;
    const error = this.checkOf(projectId, eventType, entry)(data);
    if (error) throw describeViolation(eventType, error);
  }

  /** The project's catalogue changed in this process: its next event reads it again. */
  forget(projectId: string): void {
    this.catalogues.forget(projectId);
  }

  private async load(projectId: string, expired: Catalogue | undefined): Promise<Catalogue> {
    const version = await this.eventTypes.catalogueVersion(projectId);
    if (expired?.version === version) return expired;
    const schemas = new Map<string, CatalogueEntry>();
    for (const { name, schema } of await this.eventTypes.schemasOf(projectId)) {
      const text = JSON.stringify(schema);
      const known = expired?.schemas.get(name);
      schemas.set(name, known?.text === text ? known : { text, schema });
    }
    return { version, schemas };
  }

  private checkOf(projectId: string, eventType: string, entry: CatalogueEntry): EventDataCheck {
    if (!entry.check) {
      try {
        entry.check = compileEventSchema(entry.schema);
      } catch (error) {
        // It compiled when it was registered; failing now (another Caravan version) must not stop ingest.
        this.logger.error(`schema of event type ${eventType} in project ${projectId} no longer compiles, events pass unchecked: ${(error as Error).message}`);
        entry.check = () => null;
      }
    }
    return entry.check;
  }
}
