import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Periodic tasks that must run once per deployment (the retention purge, the stuck-work sweeper)
 * whatever the number of agents. One row per task; an agent runs a task only after claiming its
 * row with a conditional UPDATE against the database clock (see libs/scheduler).
 * - `next_run_at`: the earliest time the task may be claimed again.
 * - `lease_token`, `leased_until`: the run in progress and how long it counts as alive; its agent
 *   renews the lease while it works, so a task never runs twice at once, and a run whose agent
 *   died stops blocking the task once the lease has passed.
 * - `last_*`: the latest run, for operators (`SELECT * FROM scheduled_tasks`).
 *
 * The purge needs no new index: events and deliveries are selected by (project_id, id) and
 * (project_id, status, id), which exist, with ids that are UUIDv7 compared to a bound made from
 * the cutoff time, as the list filters already do. An index on created_at would cost every
 * ingest and every delivery a write for a job that runs once an hour.
 */
export class SchedulerAndRetention1764220000000 implements MigrationInterface {
  name = 'SchedulerAndRetention1764220000000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE scheduled_tasks (
        name text PRIMARY KEY,
        next_run_at timestamptz NOT NULL DEFAULT now(),
        lease_token uuid,
        leased_until timestamptz,
        run_count bigint NOT NULL DEFAULT 0,
        last_started_at timestamptz,
        last_finished_at timestamptz,
        last_duration_ms integer,
        last_outcome text CHECK (last_outcome IN ('running', 'succeeded', 'failed')),
        last_report jsonb,
        last_error text,
        last_runner text
      )`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE scheduled_tasks`);
  }
}
