import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { ClaimAttempt } from '../next-claim-delay';
import type { TaskReport } from '../scheduled-task';

export interface Claim extends ClaimAttempt {
  /** The previous run was still marked running when its lease ran out: its agent died or hung. */
  previousRunAbandoned: boolean;
}

export type RunOutcome = 'succeeded' | 'failed';

/**
 * The scheduled_tasks table. Every time in it comes from the database's clock (now()), so agents
 * whose clocks disagree still agree on whose turn it is.
 */
@Injectable()
export class ScheduledTaskRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Creates the task's row, due at once, unless it exists. `dueNow` makes an existing row due too;
   * `soleProcess` (the embedded mode, where the data directory's lock admits one process) drops a
   * lease left by a process that died, which would otherwise hold the task until it expired.
   */
  async ensure(name: string, options: { dueNow: boolean; soleProcess: boolean }): Promise<void> {
    const updates = [
      ...(options.dueNow ? ['next_run_at = least(scheduled_tasks.next_run_at, now())'] : []),
      ...(options.soleProcess ? ['lease_token = NULL', 'leased_until = NULL'] : []),
    ];
    await this.db.query(
      `INSERT INTO scheduled_tasks (name) VALUES ($1)
       ON CONFLICT (name) DO ${updates.length ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`,
      [name],
    );
  }

  /**
   * One statement: exactly one of any number of concurrent callers gets the row (the others wait
   * on its row lock, then see next_run_at in the future and update nothing), and only when the
   * task is due and no live run holds its lease. The `task` CTE reads the row as it was before,
   * so a caller that lost learns when to try again. A task is due at next_run_at, or one of the
   * caller's intervals after the last start, so a shortened interval applies at once instead of
   * after the due time the old one set.
   */
  async claim(name: string, token: string, intervalMs: number, leaseMs: number, runner: string): Promise<Claim> {
    const rows: { claimed: number; due_at: Date; now: Date; abandoned: boolean }[] = await this.db.query(
      `WITH task AS (
         SELECT next_run_at, leased_until, last_outcome, last_started_at FROM scheduled_tasks WHERE name = $1
       ), claimed AS (
         UPDATE scheduled_tasks
            SET next_run_at = now() + $3 * interval '1 millisecond',
                lease_token = $2, leased_until = now() + $4 * interval '1 millisecond',
                run_count = run_count + 1, last_runner = $5, last_outcome = 'running', last_started_at = now(),
                last_finished_at = NULL, last_duration_ms = NULL, last_report = NULL, last_error = NULL
          WHERE name = $1
            AND (next_run_at <= now() OR last_started_at <= now() - $3 * interval '1 millisecond')
            AND (leased_until IS NULL OR leased_until <= now())
         RETURNING name
       )
       SELECT (SELECT count(*) FROM claimed)::int AS claimed,
              greatest(least(task.next_run_at, task.last_started_at + $3 * interval '1 millisecond'), task.leased_until) AS due_at,
              now() AS now,
              task.last_outcome = 'running' AS abandoned
         FROM task`,
      [name, token, intervalMs, leaseMs, runner],
    );
    const row = rows[0];
    if (!row) throw new Error(`scheduled task ${name} has no row`);
    const claimed = row.claimed === 1;
    return { claimed, dueAt: new Date(row.due_at), now: new Date(row.now), previousRunAbandoned: claimed && row.abandoned };
  }

  /** Keeps a long run's lease; false when the run no longer holds it (it outlived the lease and another agent took over). */
  async renew(name: string, token: string, leaseMs: number): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      `UPDATE scheduled_tasks SET leased_until = now() + $3 * interval '1 millisecond'
        WHERE name = $1 AND lease_token = $2 RETURNING name`,
      [name, token, leaseMs],
    );
    return rows.length === 1;
  }

  /** Records how the run ended and frees the task; a run that lost its lease records nothing. */
  async finish(name: string, token: string, outcome: RunOutcome, durationMs: number, report: TaskReport | null, error: string | null): Promise<void> {
    await this.db.query(
      `UPDATE scheduled_tasks
          SET lease_token = NULL, leased_until = NULL, last_finished_at = now(), last_duration_ms = $4,
              last_outcome = $3, last_report = $5, last_error = $6
        WHERE name = $1 AND lease_token = $2`,
      [name, token, outcome, Math.round(durationMs), report === null ? null : JSON.stringify(report), error],
    );
  }
}
