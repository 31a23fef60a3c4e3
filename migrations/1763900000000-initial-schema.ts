import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE projects (
        id uuid PRIMARY KEY,
        name text NOT NULL,
        type text NOT NULL DEFAULT 'outgoing' CHECK (type IN ('outgoing', 'incoming')),
        config jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    // The root key generated on first start has project_id NULL; at most one such row.
    await db.query(`
      CREATE TABLE api_keys (
        id uuid PRIMARY KEY,
        project_id uuid REFERENCES projects (id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('root', 'project')),
        name text NOT NULL DEFAULT '',
        prefix text NOT NULL,
        key_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CHECK ((role = 'root') = (project_id IS NULL))
      )`);
    await db.query(`CREATE UNIQUE INDEX api_keys_single_root ON api_keys (role) WHERE role = 'root'`);
    await db.query(`CREATE INDEX api_keys_project ON api_keys (project_id, id)`);

    await db.query(`
      CREATE TABLE endpoints (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        name text NOT NULL,
        url text NOT NULL,
        description text NOT NULL DEFAULT '',
        owner_id text,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'inactive')),
        secrets jsonb NOT NULL,
        http_timeout_seconds integer NOT NULL,
        rate_limit integer,
        rate_limit_duration_seconds integer,
        support_email text,
        authentication jsonb,
        retry jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX endpoints_project ON endpoints (project_id, id)`);
    await db.query(`CREATE INDEX endpoints_owner ON endpoints (project_id, owner_id) WHERE owner_id IS NOT NULL`);
    await db.query(`CREATE INDEX endpoints_not_active ON endpoints (status) WHERE status <> 'active'`);

    await db.query(`
      CREATE TABLE subscriptions (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        endpoint_id uuid NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
        name text NOT NULL,
        event_types text[] NOT NULL,
        filter jsonb,
        retry jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX subscriptions_project ON subscriptions (project_id, id)`);
    await db.query(`CREATE INDEX subscriptions_endpoint ON subscriptions (endpoint_id)`);

    // payload holds the event's data as JSON text, delivered byte for byte as stored.
    // endpoint_id has no foreign key: the event outlives an endpoint deleted later.
    await db.query(`
      CREATE TABLE events (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
        event_type text NOT NULL,
        payload text NOT NULL,
        custom_headers jsonb,
        endpoint_id uuid,
        owner_id text,
        source_id uuid,
        idempotency_key text,
        routed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE INDEX events_project ON events (project_id, id)`);
    await db.query(`CREATE INDEX events_project_type ON events (project_id, event_type, id)`);
    await db.query(
      `CREATE UNIQUE INDEX events_idempotency ON events (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await db.query(`CREATE INDEX events_unrouted ON events (created_at) WHERE routed_at IS NULL`);

    // next_attempt_at is when the sweeper should next look at a delivery: the due time while
    // scheduled/retry, the lock expiry while processing.
    await db.query(`
      CREATE TABLE event_deliveries (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL,
        event_id uuid NOT NULL REFERENCES events (id) ON DELETE CASCADE,
        endpoint_id uuid NOT NULL REFERENCES endpoints (id) ON DELETE CASCADE,
        subscription_id uuid REFERENCES subscriptions (id) ON DELETE SET NULL,
        status text NOT NULL
          CHECK (status IN ('scheduled', 'processing', 'success', 'retry', 'failure', 'discarded')),
        attempt_count integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await db.query(`CREATE UNIQUE INDEX event_deliveries_event_endpoint ON event_deliveries (event_id, endpoint_id)`);
    await db.query(`CREATE INDEX event_deliveries_project ON event_deliveries (project_id, id)`);
    await db.query(`CREATE INDEX event_deliveries_project_status ON event_deliveries (project_id, status, id)`);
    await db.query(`CREATE INDEX event_deliveries_endpoint ON event_deliveries (endpoint_id, id)`);
    await db.query(`CREATE INDEX event_deliveries_subscription ON event_deliveries (subscription_id)`);
    await db.query(
      `CREATE INDEX event_deliveries_pending ON event_deliveries (next_attempt_at)
         WHERE status IN ('scheduled', 'retry', 'processing')`,
    );

    await db.query(`
      CREATE TABLE delivery_attempts (
        id uuid PRIMARY KEY,
        project_id uuid NOT NULL,
        delivery_id uuid NOT NULL REFERENCES event_deliveries (id) ON DELETE CASCADE,
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
    await db.query(`CREATE UNIQUE INDEX delivery_attempts_number ON delivery_attempts (delivery_id, attempt_number)`);
  }

  async down(db: QueryRunner): Promise<void> {
    for (const table of ['delivery_attempts', 'event_deliveries', 'events', 'subscriptions', 'endpoints', 'api_keys', 'projects']) {
      await db.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
