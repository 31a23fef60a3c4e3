import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Meta events: notifications about a project's endpoints and deliveries, sent to the project's
 * meta endpoint (config.meta_events) with their own status, retries and attempt log, apart from
 * event_deliveries so that they never feed endpoints' breakers or produce meta events themselves.
 */
export class MetaEvents1764230000000 implements MigrationInterface {
  name = 'MetaEvents1764230000000';

  async up(db: QueryRunner): Promise<void> {
    // payload is the JSON body sent, `{ event_type, data }`, byte for byte on every attempt.
    await db.query(`
      CREATE TABLE meta_events (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        event_type text NOT NULL,
        payload text NOT NULL,
        status text NOT NULL DEFAULT 'scheduled'
          CHECK (status IN ('scheduled', 'processing', 'success', 'retry', 'failure')),
        attempt_count integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX meta_events_project ON meta_events (project_id, id)`);
    await db.query(
      `CREATE INDEX meta_events_pending ON meta_events (next_attempt_at) WHERE status IN ('scheduled', 'retry', 'processing')`,
    );

    await db.query(`
      CREATE TABLE meta_event_attempts (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL,
        meta_event_id uuid NOT NULL REFERENCES meta_events (id) ON DELETE CASCADE,
        attempt_number integer NOT NULL,
        request_url text NOT NULL,
        request_method text NOT NULL,
        request_headers jsonb NOT NULL,
        response_status_code integer,
        response_headers jsonb,
        response_body text,
        error text,
        duration_ms integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX meta_event_attempts_number ON meta_event_attempts (meta_event_id, attempt_number)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE IF EXISTS meta_event_attempts`);
    await db.query(`DROP TABLE IF EXISTS meta_events`);
  }
}
