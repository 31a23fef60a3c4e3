import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Event types: a project's catalogue of the events it sends, with a description, a category and
 * an optional JSON Schema that ingest checks every event of the type against.
 * - The API addresses a type by its name, unique in the project; `id` only orders the list.
 * - `schema` is `json`, not `jsonb`, so it reads back with its keys in the written order.
 * - Ingest processes ask "did the catalogue change?" with count(*) and max(updated_at) per
 *   project, once a second each: the (project_id, name) index answers it.
 */
export class EventTypes1764200000000 implements MigrationInterface {
  name = 'EventTypes1764200000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE event_types (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        name text NOT NULL,
        description text NOT NULL DEFAULT '',
        category text,
        schema json,
        deprecated boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT event_types_project_name UNIQUE (project_id, name)
      )`);
    await db.query(`CREATE INDEX event_types_project ON event_types (project_id, id)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE event_types`);
  }
}
