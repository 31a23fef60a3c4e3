import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { Client } from 'pg';
import { childEnvironment, loadConfig } from '@caravan/common';
import { InfrastructureModule } from '@caravan/database';
import { PurgeExpiredData, RetentionModule } from '@caravan/retention';

/**
 * What the retention purge costs, to choose between batched deletes and time-partitioned tables.
 * Seeds one project with expired events (each with one finished delivery and two attempts) and a
 * slice of fresh ones, runs the real purge (PurgeExpiredData, batches of CARAVAN_RETENTION_BATCH_SIZE)
 * while a probe writes an event and updates a delivery every 50 ms to show whether the purge
 * blocks ingest and dispatch, then times dropping the same rows as day partitions instead.
 *
 * Usage: node dist/bench/retention-purge.js [expired events, default 300000]
 * Needs PostgreSQL and Redis on loopback (scripts/test-services.sh); drops its database at the end.
 */
const EXPIRED = Math.min(Math.max(Number(process.argv[2] ?? 300_000) || 300_000, 1000), 2_000_000);
const FRESH = Math.round(EXPIRED / 10);
const DAYS = 10;
const SERVER = 'postgres://postgres@127.0.0.1:5432';

/** UUIDv7 of a row made at `ts` (a SQL timestamptz expression), like Caravan's own ids. */
const uuidAt = (ts: string) =>
  `(lpad(to_hex((extract(epoch FROM ${ts}) * 1000)::bigint), 12, '0') || '7' || substr(md5(random()::text), 1, 3) || '8' || substr(md5(random()::text), 1, 15))::uuid`;

@Module({})
class BenchRoot {}

async function main(): Promise<void> {
  const name = `caravan_bench_retention_${randomBytes(4).toString('hex')}`;
  const config = loadConfig(
    childEnvironment({ DATABASE_URL: `${SERVER}/${name}`, REDIS_URL: 'redis://127.0.0.1:6379/0', CARAVAN_REDIS_PREFIX: name, CARAVAN_LOG_LEVEL: 'warn' }),
  );
  const app = await NestFactory.createApplicationContext(
    { module: BenchRoot, imports: [InfrastructureModule.forRoot(config), RetentionModule] },
    { logger: ['error', 'warn'] },
  );
  const db = new Client({ connectionString: config.database.url });
  const probeDb = new Client({ connectionString: config.database.url });
  await db.connect();
  await probeDb.connect();
  try {
    const project = '01900000-0000-7000-8000-000000000001';
    const endpoint = '01900000-0000-7000-8000-000000000002';
    await db.query(`INSERT INTO projects (id, name, config) VALUES ($1, 'bench', '{"retention":{"events_days":30}}')`, [project]);
    await db.query(`INSERT INTO endpoints (id, project_id, name, url, secrets, http_timeout_seconds) VALUES ($2, $1, 'e', 'http://127.0.0.1:9/', '[]', 5)`, [project, endpoint]);

    const seedStarted = Date.now();
    // Expired rows spread over DAYS days ending 40 days ago; fresh ones over the last day.
    for (const [count, from, spanDays] of [[EXPIRED, 40 + DAYS, DAYS], [FRESH, 1, 1]] as const) {
      await db.query(
        `WITH e AS (
           INSERT INTO events (id, project_id, event_type, payload, routed_at, created_at)
           SELECT ${uuidAt('t')}, $1, 'bench.retention', repeat('x', 600), t, t
             FROM (SELECT now() - ($3 * interval '1 day') + (g * ($4 * interval '1 day') / $2) AS t FROM generate_series(1, $2) g) s
           RETURNING id, created_at
         ), d AS (
           INSERT INTO event_deliveries (id, project_id, event_id, endpoint_id, status, attempt_count, created_at, updated_at)
           SELECT ${uuidAt('e.created_at')}, $1, e.id, $5, 'success', 2, e.created_at, e.created_at FROM e
           RETURNING id, created_at
         )
         INSERT INTO delivery_attempts (id, project_id, delivery_id, attempt_number, request_url, request_method, request_headers, duration_ms, created_at)
         SELECT ${uuidAt('d.created_at')}, $1, d.id, n, 'http://127.0.0.1:9/', 'POST', '{"content-type":"application/json"}', 12, d.created_at
           FROM d, generate_series(1, 2) n`,
        [project, count, from, spanDays, endpoint],
      );
    }
    await db.query('VACUUM ANALYZE events, event_deliveries, delivery_attempts');
    const size = async () =>
      (await db.query(`SELECT pg_size_pretty(pg_total_relation_size('events') + pg_total_relation_size('event_deliveries') + pg_total_relation_size('delivery_attempts')) AS s`)).rows[0].s;
    console.log(`seeded ${EXPIRED} expired and ${FRESH} fresh events (+1 delivery, 2 attempts each) in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s; tables ${await size()}`);

    // The probe: what ingest and dispatch feel, first alone, then while the purge runs.
    const fresh = (await probeDb.query(`SELECT id FROM event_deliveries ORDER BY id DESC LIMIT 1`)).rows[0].id;
    const startProbe = () => {
      const latencies: number[] = [];
      let probing = true;
      const done = (async () => {
        while (probing) {
          const started = process.hrtime.bigint();
          await probeDb.query(`INSERT INTO events (id, project_id, event_type, payload, routed_at) VALUES (${uuidAt('now()')}, $1, 'bench.probe', '{}', now())`, [project]);
          await probeDb.query(`UPDATE event_deliveries SET updated_at = now() WHERE id = $1`, [fresh]);
          latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      return async () => {
        probing = false;
        await done;
        const sorted = latencies.sort((a, b) => a - b);
        return `${sorted.length} samples, p50 ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} ms, p99 ${sorted[Math.floor(sorted.length * 0.99)].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`;
      };
    };
    const baseline = startProbe();
    await new Promise((resolve) => setTimeout(resolve, 5000));
    console.log(`probe alone (insert an event + update a delivery): ${await baseline()}`);

    const during = startProbe();
    const purgeStarted = Date.now();
    const report = await app.get(PurgeExpiredData).execute();
    const purgeMs = Date.now() - purgeStarted;
    const probed = await during();
    const rows = report.events + report.deliveries + report.attempts;
    console.log(
      `purge, batches of ${config.retention.batchSize}: ${report.events} events, ${report.deliveries} deliveries, ${report.attempts} attempts ` +
        `in ${(purgeMs / 1000).toFixed(1)} s: ${Math.round(rows / (purgeMs / 1000))} rows/s, ${report.batches} batches, ` +
        `${(purgeMs / report.batches).toFixed(1)} ms per batch`,
    );
    console.log(`probe during the purge: ${probed}`);
    const left = (await db.query(`SELECT count(*)::int AS n FROM events WHERE event_type = 'bench.retention'`)).rows[0].n;
    console.log(`left: ${left} events (expected ${FRESH} fresh); tables ${await size()} until VACUUM reuses the space`);

    // The alternative: the same expired rows in day partitions, dropped whole.
    await db.query(`CREATE TABLE events_by_day (LIKE events INCLUDING DEFAULTS) PARTITION BY RANGE (created_at)`);
    for (let day = 0; day <= DAYS; day++) {
      await db.query(
        `CREATE TABLE events_by_day_${day} PARTITION OF events_by_day
           FOR VALUES FROM (date_trunc('day', now()) - interval '${40 + DAYS - day} days') TO (date_trunc('day', now()) - interval '${40 + DAYS - day - 1} days')`,
      );
    }
    await db.query(
      `INSERT INTO events_by_day (id, project_id, event_type, payload, routed_at, created_at)
       SELECT ${uuidAt('t')}, $1, 'bench.retention', repeat('x', 600), t, t
         FROM (SELECT now() - (${40 + DAYS} * interval '1 day') + (g * (${DAYS} * interval '1 day') / $2) AS t FROM generate_series(1, $2) g) s
        WHERE t >= date_trunc('day', now()) - interval '${40 + DAYS} days'`,
      [project, EXPIRED],
    );
    const dropStarted = process.hrtime.bigint();
    for (let day = 0; day <= DAYS; day++) await db.query(`DROP TABLE events_by_day_${day}`);
    const dropMs = Number(process.hrtime.bigint() - dropStarted) / 1e6;
    console.log(`partitioned alternative: dropping ${DAYS + 1} day partitions holding ${EXPIRED} events took ${dropMs.toFixed(1)} ms`);
  } finally {
    await probeDb.end();
    await db.end();
    await app.close();
    const admin = new Client({ connectionString: `${SERVER}/postgres` });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    // The queue module registered its queues under this prefix: leave no keys behind.
    const redis = new Redis('redis://127.0.0.1:6379/0', { maxRetriesPerRequest: 1 });
    try {
      for await (const keys of redis.scanStream({ match: `${name}:*`, count: 1000 }) as AsyncIterable<string[]>) {
        if (keys.length) await redis.unlink(...keys);
      }
    } finally {
      redis.disconnect();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
