import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { idBoundAt } from '@caravan/common';
import { CaravanProcess } from './support/caravan-process';
import { createEndpoint } from './support/fixtures';
import { externalOnly, TestCaravan, TestProject } from './support/test-caravan';
import { waitFor } from './support/wait-for';

const DAY_MS = 86_400_000;

interface TaskRow {
  run_count: number;
  last_started_at: Date | null;
  last_outcome: string | null;
  last_report: Record<string, number> | null;
  last_runner: string | null;
  db_now: Date;
}

async function taskRow(caravan: TestCaravan, name: string): Promise<TaskRow | undefined> {
  const { rows } = await caravan.query(
    `SELECT run_count::int AS run_count, last_started_at, last_outcome, last_report, last_runner, clock_timestamp() AS db_now
       FROM scheduled_tasks WHERE name = $1`,
    [name],
  );
  return rows[0];
}

/** Lines in which a process reported a finished run of `task`. */
function runLines(process: CaravanProcess, task: string): string[] {
  return process.output.split('\n').filter((line) => line.includes(`${task} succeeded in`));
}

/** A UUIDv7 of a row created `daysAgo` days ago, as Caravan would have made it then. */
function idDaysAgo(daysAgo: number): string {
  const bound = idBoundAt(new Date(Date.now() - daysAgo * DAY_MS), 'lowest');
  const random = randomBytes(8).toString('hex');
  return `${bound.slice(0, 14)}7${random.slice(0, 3)}-8${random.slice(3, 6)}-${randomBytes(6).toString('hex')}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('periodic jobs run once per interval per deployment', () => {
  let caravan: TestCaravan;
  const agents: CaravanProcess[] = [];

  before(async () => {
    caravan = await TestCaravan.create({
      CARAVAN_RETENTION_INTERVAL_SECONDS: '1',
      CARAVAN_SWEEP_INTERVAL_SECONDS: '0.5',
      CARAVAN_SCHEDULER_LEASE_SECONDS: '2',
      CARAVAN_LOG_LEVEL: 'info',
    });
    await caravan.startApi();
  });

  after(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await caravan?.destroy();
  });

  it('runs each task once per interval with two agents, and keeps going when one of them dies', { skip: externalOnly('two agent processes') }, async () => {
    agents.push(await CaravanProcess.start('agent', caravan.environment()), await CaravanProcess.start('agent', caravan.environment()));
    await waitFor('the purge to have run', async () => ((await taskRow(caravan, 'retention-purge'))?.run_count ?? 0) >= 2, 10_000);

    const first = (await taskRow(caravan, 'retention-purge'))!;
    const firstSweep = (await taskRow(caravan, 'sweep-pending-work'))!;
    await sleep(6000);
    const last = (await taskRow(caravan, 'retention-purge'))!;
    const lastSweep = (await taskRow(caravan, 'sweep-pending-work'))!;
    const seconds = (last.db_now.getTime() - first.db_now.getTime()) / 1000;

    // Two agents each running every interval would make about twice these counts.
    const purges = last.run_count - first.run_count;
    assert.ok(purges >= Math.floor(seconds) - 1 && purges <= Math.ceil(seconds) + 1, `${purges} purges in ${seconds} s at a 1 s interval`);
    const sweeps = lastSweep.run_count - firstSweep.run_count;
    assert.ok(sweeps >= Math.floor(seconds / 0.5) - 2 && sweeps <= Math.ceil(seconds / 0.5) + 1, `${sweeps} sweeps in ${seconds} s at a 0.5 s interval`);

    // Every claimed run ran in exactly one agent: the log lines of both add up to the row's count.
    const lines = agents.flatMap((agent) => runLines(agent, 'retention-purge'));
    const count = (await taskRow(caravan, 'retention-purge'))!.run_count;
    assert.ok(lines.length === count || lines.length === count - 1, `${lines.length} run lines for ${count} claimed runs`);
    assert.match(lines[0], /retention-purge succeeded in \d+ ms: projects=0 events=0 deliveries=0 attempts=0 batches=0/);

    await agents[0].kill();
    const afterKill = (await taskRow(caravan, 'retention-purge'))!;
    await sleep(4000);
    const survivor = (await taskRow(caravan, 'retention-purge'))!;
    const survivorRuns = survivor.run_count - afterKill.run_count;
    assert.ok(survivorRuns >= 2 && survivorRuns <= 6, `${survivorRuns} purges in 4 s with one agent left`);
    assert.ok(['running', 'succeeded'].includes(survivor.last_outcome!), `outcome ${survivor.last_outcome}`);
  });

  it('runs a task once per interval in a single process too (the embedded mode\'s only one)', async () => {
    const agent = agents[1] ?? (await caravan.startAgent());
    await waitFor('the purge to have run', async () => ((await taskRow(caravan, 'retention-purge'))?.run_count ?? 0) >= 1, 10_000);
    const first = (await taskRow(caravan, 'retention-purge'))!;
    const linesBefore = runLines(agent, 'retention-purge').length;
    await sleep(4000);
    const last = (await taskRow(caravan, 'retention-purge'))!;
    const seconds = (last.db_now.getTime() - first.db_now.getTime()) / 1000;
    const runs = last.run_count - first.run_count;
    assert.ok(runs >= Math.floor(seconds) - 1 && runs <= Math.ceil(seconds) + 1, `${runs} purges in ${seconds} s at a 1 s interval`);
    const lines = runLines(agent, 'retention-purge').length - linesBefore;
    assert.ok(Math.abs(lines - runs) <= 1, `${lines} run lines for ${runs} runs`);
  });

  it('waits out the lease of a run whose agent died, then runs the task again and says so', async () => {
    const agent = agents[1] ?? (await caravan.startAgent());
    // What an agent killed mid-run leaves behind: a run marked running, with a lease nobody renews.
    const { rows } = await caravan.query(
      `UPDATE scheduled_tasks
          SET lease_token = gen_random_uuid(), leased_until = now() + interval '3 seconds', next_run_at = now(),
              last_outcome = 'running', last_runner = 'dead-agent:1', last_started_at = now()
        WHERE name = 'retention-purge'
        RETURNING run_count::int AS run_count, leased_until`,
    );
    const abandoned = rows[0];
    const resumed = await waitFor(
      'the purge to run again',
      async () => {
        const row = await taskRow(caravan, 'retention-purge');
        return row && row.run_count > abandoned.run_count && row.last_outcome === 'succeeded' && row;
      },
      10_000,
    );
    assert.ok(resumed.last_started_at! >= abandoned.leased_until, 'not claimed while the dead run still held its lease');
    assert.notEqual(resumed.last_runner, 'dead-agent:1');
    assert.match(agent.output, /retention-purge: the previous run never finished/);
  });
});

describe('the retention purge', () => {
  let caravan: TestCaravan;
  let agent: CaravanProcess;
  let keeping: TestProject;
  let defaulted: TestProject;

  before(async () => {
    caravan = await TestCaravan.create({
      CARAVAN_RETENTION_DAYS: '20',
      CARAVAN_RETENTION_INTERVAL_SECONDS: '2',
      CARAVAN_RETENTION_BATCH_SIZE: '5',
      CARAVAN_LOG_LEVEL: 'info',
    });
    await caravan.startApi();
    agent = await caravan.startAgent();
    keeping = await caravan.createProject({ retention: { events_days: 10, deliveries_days: 3 } });
    defaulted = await caravan.createProject();
  });

  after(async () => {
    await caravan?.destroy();
  });

  it('validates config.retention and shows it, null meaning the instance default', async () => {
    const path = `/api/v1/projects/${keeping.id}`;
    const root = caravan.rootClient();
    assert.deepEqual((await root.get(path)).body.config.retention, { events_days: 10, deliveries_days: 3 });
    assert.deepEqual((await root.get(`/api/v1/projects/${defaulted.id}`)).body.config.retention, { events_days: null, deliveries_days: null });

    for (const [retention, field] of [
      [{ events_days: 0 }, 'config.retention.events_days'],
      [{ events_days: 1.5 }, 'config.retention.events_days'],
      [{ deliveries_days: 'seven' }, 'config.retention.deliveries_days'],
      [{ weeks: 2 }, 'config.retention.weeks'],
      [{ deliveries_days: 11 }, 'config.retention.deliveries_days'],
      [{ events_days: 2 }, 'config.retention.deliveries_days'],
    ] as const) {
      const response = await root.patch(path, { config: { retention } });
      assert.equal(response.status, 400, JSON.stringify(retention));
      assert.equal(response.body.field, field, JSON.stringify(response.body));
    }
    assert.deepEqual((await root.get(path)).body.config.retention, { events_days: 10, deliveries_days: 3 }, 'refused changes left it as it was');
    const created = await root.post('/api/v1/projects', { name: 'too long', config: { retention: { events_days: 5, deliveries_days: 6 } } });
    assert.equal(created.status, 400);
    assert.equal(created.body.field, 'config.retention.deliveries_days');
  });

  it('deletes only old finished data, in batches, leaves pending deliveries and their events, and reports counts', async () => {
    const endpointA = await createEndpoint(keeping.client, keeping.id, { url: 'http://127.0.0.1:9/unused' });
    const endpointB = await createEndpoint(defaulted.client, defaulted.id, { url: 'http://127.0.0.1:9/unused' });
    const statements: string[] = [];
    const expired = { events: new Set<string>(), deliveries: new Set<string>() };
    const kept = { events: new Set<string>(), deliveries: new Set<string>() };

    const future = new Date(Date.now() + DAY_MS).toISOString();
    /** An event `daysAgo` old with one delivery per status given, each with `attempts` attempts. */
    const addEvent = (project: TestProject, endpointId: string, daysAgo: number, statuses: string[], options: { attempts?: number } = {}) => {
      const eventId = idDaysAgo(daysAgo);
      const at = new Date(Date.now() - daysAgo * DAY_MS).toISOString();
      statements.push(
        `INSERT INTO events (id, project_id, event_type, payload, routed_at, created_at)
         VALUES ('${eventId}', '${project.id}', 'retention.test', '{}', '${at}', '${at}')`,
      );
      const deliveries = statuses.map((status) => {
        const deliveryId = idDaysAgo(daysAgo);
        // Pending ones are due tomorrow, so the sweeper leaves them be during the test.
        const next = ['scheduled', 'retry', 'processing'].includes(status) ? future : at;
        statements.push(
          `INSERT INTO event_deliveries (id, project_id, event_id, endpoint_id, status, attempt_count, next_attempt_at, created_at, updated_at)
           VALUES ('${deliveryId}', '${project.id}', '${eventId}', '${endpointId}', '${status}', ${options.attempts ?? 0}, '${next}', '${at}', '${at}')`,
        );
        for (let n = 1; n <= (options.attempts ?? 0); n++) {
          statements.push(
            `INSERT INTO delivery_attempts (id, project_id, delivery_id, attempt_number, request_url, request_method, request_headers, duration_ms, created_at)
             VALUES ('${idDaysAgo(daysAgo)}', '${project.id}', '${deliveryId}', ${n}, 'http://127.0.0.1:9/unused', 'POST', '{}', 5, '${at}')`,
          );
        }
        return deliveryId;
      });
      return { eventId, deliveries };
    };
    const expect = (into: typeof kept, made: { eventId: string; deliveries: string[] }, eventToo: boolean) => {
      if (eventToo) into.events.add(made.eventId);
      made.deliveries.forEach((id) => into.deliveries.add(id));
    };

    // Project with events_days 10, deliveries_days 3.
    for (let i = 0; i < 12; i++) expect(expired, addEvent(keeping, endpointA.id, 15, ['success'], { attempts: 2 }), true);
    expect(expired, addEvent(keeping, endpointA.id, 15, []), true); // routed, matched no endpoint
    for (const status of ['scheduled', 'retry', 'processing']) expect(kept, addEvent(keeping, endpointA.id, 15, [status], { attempts: 1 }), true);
    for (let i = 0; i < 6; i++) {
      const made = addEvent(keeping, endpointA.id, 5, ['failure'], { attempts: 1 });
      expect(expired, { eventId: made.eventId, deliveries: made.deliveries }, false);
      kept.events.add(made.eventId); // younger than events_days: the event stays without its delivery
    }
    for (let i = 0; i < 2; i++) expect(kept, addEvent(keeping, endpointA.id, 1, ['success'], { attempts: 1 }), true);
    // Project on the instance default (CARAVAN_RETENTION_DAYS=20).
    for (let i = 0; i < 4; i++) expect(kept, addEvent(defaulted, endpointB.id, 15, ['success'], { attempts: 1 }), true);
    for (let i = 0; i < 3; i++) expect(expired, addEvent(defaulted, endpointB.id, 25, ['discarded'], { attempts: 1 }), true);

    // One transaction, so no purge run sees half of it.
    await caravan.query(`BEGIN; ${statements.join(';\n')}; COMMIT`);
    const { rows } = await caravan.query(`SELECT clock_timestamp() AS at`);
    const insertedAt: Date = rows[0].at;

    const run = await waitFor(
      'a purge run that started after the rows were there',
      async () => {
        const row = await taskRow(caravan, 'retention-purge');
        return row && row.last_started_at! > insertedAt && row.last_outcome === 'succeeded' && row;
      },
      15_000,
    );

    const events = new Set((await caravan.query(`SELECT id FROM events WHERE event_type = 'retention.test'`)).rows.map((r) => r.id));
    const deliveries = new Set((await caravan.query(`SELECT id, status FROM event_deliveries`)).rows.map((r) => r.id));
    assert.deepEqual([...events].sort(), [...kept.events].sort());
    assert.deepEqual([...deliveries].sort(), [...kept.deliveries].sort());
    const attempts = await caravan.query(`SELECT delivery_id FROM delivery_attempts`);
    assert.equal(attempts.rows.length, kept.deliveries.size, 'each kept delivery keeps its one attempt');
    assert.ok(attempts.rows.every((r) => kept.deliveries.has(r.delivery_id)));

    // events: 12 + 1 + 3; deliveries: 12 success + 6 failure + 3 discarded; attempts: 24 + 6 + 3.
    // batches of 5: success 12 (3), failure 6 (2), expired-range events 16 (4); discarded 3 (1), events 3 (1).
    assert.deepEqual(run.last_report, { projects: 2, events: 16, deliveries: 21, attempts: 33, batches: 11 });
    assert.match(agent.output, /retention-purge succeeded in \d+ ms: projects=2 events=16 deliveries=21 attempts=33 batches=11/);

    // The next run finds nothing more to do.
    const next = await waitFor(
      'the following purge run',
      async () => {
        const row = await taskRow(caravan, 'retention-purge');
        return row && row.last_started_at! > run.last_started_at! && row.last_outcome === 'succeeded' && row;
      },
      15_000,
    );
    // One batch: it reads the three old events that must stay, and deletes nothing.
    assert.deepEqual(next.last_report, { projects: 2, events: 0, deliveries: 0, attempts: 0, batches: 1 });
  });
});
