import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * - Idempotency keys hold for a window (default 24 h), not forever. Uniqueness moves to
 *   `idempotency_slot`, which is released when the window has passed; `idempotency_key` stays on
 *   the event for search.
 * - An endpoint disabled by its circuit breaker records why and when.
 */
export class IdempotencyWindowAndEndpointDisabling1763990000000 implements MigrationInterface {
  name = 'IdempotencyWindowAndEndpointDisabling1763990000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE events ADD COLUMN idempotency_slot text`);
    await db.query(`UPDATE events SET idempotency_slot = idempotency_key WHERE idempotency_key IS NOT NULL`);
    await db.query(`DROP INDEX events_idempotency`);
    await db.query(
      `CREATE UNIQUE INDEX events_idempotency_slot ON events (project_id, idempotency_slot) WHERE idempotency_slot IS NOT NULL`,
    );
    await db.query(
      `CREATE INDEX events_idempotency_key ON events (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );

    await db.query(`ALTER TABLE endpoints ADD COLUMN disabled_reason text, ADD COLUMN disabled_at timestamptz`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE endpoints DROP COLUMN disabled_reason, DROP COLUMN disabled_at`);
    await db.query(`DROP INDEX events_idempotency_key`);
    await db.query(`DROP INDEX events_idempotency_slot`);
    await db.query(
      `CREATE UNIQUE INDEX events_idempotency ON events (project_id, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await db.query(`ALTER TABLE events DROP COLUMN idempotency_slot`);
  }
}
