import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sources: where incoming webhooks (`POST /ingest/<mask_id>`) and broker messages come from.
 * - `mask_id` is the unguessable public part of the ingest URL; it identifies the source across
 *   projects, so it is unique on its own.
 * - Secrets inside `verifier` and `broker` are sealed (AES-256-GCM) like endpoint credentials.
 * - `ingest_errors` keeps what a source received but could not turn into an event, payload capped
 *   at 64 KiB. A request that fails verification is never stored.
 * - A subscription with a `source_id` routes only that source's events.
 */
export class Sources1764100000000 implements MigrationInterface {
  name = 'Sources1764100000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE sources (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        name text NOT NULL,
        type text NOT NULL CHECK (type IN ('http', 'kafka', 'sqs', 'pubsub')),
        mask_id text NOT NULL UNIQUE,
        verifier jsonb NOT NULL,
        idempotency_header text,
        response jsonb,
        broker jsonb,
        mapping jsonb,
        body_limit_bytes integer CHECK (body_limit_bytes > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX sources_project ON sources (project_id, id)`);

    await db.query(`
      CREATE TABLE ingest_errors (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
        reason text NOT NULL,
        payload text NOT NULL CHECK (length(payload) <= 65536),
        headers jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX ingest_errors_source ON ingest_errors (project_id, source_id, id)`);

    await db.query(
      `ALTER TABLE subscriptions ADD COLUMN source_id uuid REFERENCES sources (id) ON DELETE CASCADE`,
    );
    await db.query(
      `CREATE INDEX subscriptions_source ON subscriptions (source_id) WHERE source_id IS NOT NULL`,
    );
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX subscriptions_source`);
    await db.query(`ALTER TABLE subscriptions DROP COLUMN source_id`);
    await db.query(`DROP TABLE ingest_errors`);
    await db.query(`DROP TABLE sources`);
  }
}
