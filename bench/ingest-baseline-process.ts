import { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { fastify } from 'fastify';
import Redis from 'ioredis';
import { Pool } from 'pg';
import { uuidv7 } from 'uuidv7';

/**
 * The ingest ceiling: a bare Fastify route doing the durable work Caravan does per event, and no
 * more: one INSERT into a table shaped like Caravan's `events` (same columns and indexes) and one
 * BullMQ `queue.add`, then 202. No auth, no DTO validation, no Nest. Forked by the bench with
 * `<database url> <redis url> <redis prefix> <pool size>`; answers `{ type: 'ready', port }`.
 */

const [databaseUrl, redisUrl, redisPrefix, poolSize] = process.argv.slice(2);

interface EventBody {
  event_type?: unknown;
  data?: unknown;
  custom_headers?: Record<string, string>;
}

async function main(): Promise<void> {
  const db = new Pool({ connectionString: databaseUrl, max: Number(poolSize) || 10 });
  await db.query(`
    CREATE TABLE IF NOT EXISTS bench_baseline_events (
      id uuid PRIMARY KEY,
      project_id uuid NOT NULL,
      event_type text NOT NULL,
      payload text NOT NULL,
      custom_headers jsonb,
      routed_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
  await db.query(
    'CREATE INDEX IF NOT EXISTS bench_baseline_events_project ON bench_baseline_events (project_id, id)',
  );
  await db.query(
    'CREATE INDEX IF NOT EXISTS bench_baseline_events_type ON bench_baseline_events (project_id, event_type, id)',
  );
  await db.query(
    'CREATE INDEX IF NOT EXISTS bench_baseline_events_unrouted ON bench_baseline_events (created_at) WHERE routed_at IS NULL',
  );
  // The search indexes every event pays for (migration 1764210000000), with the functions Caravan's
  // migration created in this same database.
  await db.query(
    'CREATE INDEX IF NOT EXISTS bench_baseline_events_payload_json ON bench_baseline_events USING gin (caravan_payload_jsonb(payload) jsonb_path_ops)',
  );
  await db.query(
    'CREATE INDEX IF NOT EXISTS bench_baseline_events_payload_words ON bench_baseline_events USING gin (caravan_payload_words(payload))',
  );

  // Nobody consumes these jobs: the baseline measures the enqueue, as Caravan's api does.
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('routing', {
    connection: redis,
    prefix: redisPrefix,
    defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
  });
  const projectId = uuidv7();

  const app = fastify();
  app.post<{ Body: EventBody }>('/events', async (request, reply) => {
    const body = request.body;
    if (typeof body?.event_type !== 'string' || typeof body.data !== 'object' || body.data === null) {
      return reply.code(400).send({ status: 400, message: 'event_type and data are required' });
    }
    const id = uuidv7();
    const inserted = await db.query<{ created_at: Date }>(
      `INSERT INTO bench_baseline_events (id, project_id, event_type, payload, custom_headers)
       VALUES ($1, $2, $3, $4, $5) RETURNING created_at`,
      [id, projectId, body.event_type, JSON.stringify(body.data), body.custom_headers ?? null],
    );
    await queue.add('routing', { projectId, eventId: id }, { jobId: id });
    return reply
      .code(202)
      .send({ id, event_type: body.event_type, created_at: inserted.rows[0].created_at.toISOString() });
  });
  await app.listen({ port: 0, host: '127.0.0.1' });

  const shutdown = async () => {
    await app.close();
    await queue.close();
    redis.disconnect();
    await db.end();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('disconnect', () => void shutdown());
  process.send?.({ type: 'ready', port: (app.server.address() as AddressInfo).port });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
