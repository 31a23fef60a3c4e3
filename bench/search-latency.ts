import * as os from 'node:os';
import { performance } from 'node:perf_hooks';
import { CleanupStack, Interruption } from '@caravan/common';
import { Client } from 'pg';
import { CaravanUnderTest } from './caravan-under-test';
import { summarizeLatencies } from './latency-summary';
import { INSERT_BATCH_SIZE, InsertProbeResult, probeInserts } from './search/insert-probe';
import { SearchCase, searchCases, SearchSubjects } from './search/search-cases';
import { ENDPOINTS_PER_PROJECT, SEED_DAYS, seedSearchData, SOURCES_PER_PROJECT } from './search/seed-search-data';

/**
 * `npm run bench:search`: search latency on a million events. Starts the Caravan api on a database
 * of its own (migrated at boot), creates three projects with endpoints and sources through the API,
 * seeds the events and deliveries server-side, measures what the search indexes cost an ingest
 * INSERT, then times every filter through the HTTP API and prints p50/p99. Drops the database at
 * the end. See bench/README.md.
 *
 * Usage: node dist/bench/search-latency.js [--events=1000000] [--runs=30] [--insert-events=10000]
 *          [--keep-database] [--postgres-url=postgres://postgres@127.0.0.1:5432/postgres] [--redis-url=redis://127.0.0.1:6379/0]
 */

interface Options {
  events: number;
  runs: number;
  insertEvents: number;
  keepDatabase: boolean;
  postgresUrl: string;
  redisUrl: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    events: 1_000_000,
    runs: 30,
    insertEvents: 10_000,
    keepDatabase: false,
    postgresUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: 'redis://127.0.0.1:6379/0',
  };
  for (const arg of argv) {
    const [name, value = ''] = arg.split(/=(.*)/s, 2);
    if (name === '--events') options.events = Math.min(Math.max(Number(value) || 1_000_000, 10_000), 10_000_000);
    else if (name === '--runs') options.runs = Math.min(Math.max(Number(value) || 30, 5), 1000);
    else if (name === '--insert-events') options.insertEvents = Math.min(Math.max(Number(value) || 0, 0), 100_000);
    else if (name === '--keep-database') options.keepDatabase = true;
    else if (name === '--postgres-url') options.postgresUrl = value;
    else if (name === '--redis-url') options.redisUrl = value;
    else throw new Error(`unknown option ${arg}; see bench/README.md`);
  }
  return options;
}

const WARM_UP_RUNS = 3;
const PROJECTS = ['search-large', 'search-medium', 'search-small'];

/**
 * The indexes migration 1764210000000 adds, in the order the insert probe adds them back: the
 * b-trees, then the full-text GIN, then the JSON GIN. Their definitions are read from the
 * migrated database, so the bench measures exactly what the migration creates.
 */
const INDEX_STAGES: { name: string; indexes: string[] }[] = [
  { name: 'b-trees (owner, source, endpoint)', indexes: ['events_project_owner', 'events_project_source', 'events_project_endpoint', 'event_deliveries_endpoint_event'] },
  { name: '+ full-text GIN (q)', indexes: ['events_payload_words'] },
  { name: '+ JSON GIN (data)', indexes: ['events_payload_json'] },
];

const cleanup = new CleanupStack();
const interruption = new Interruption();
const benchStartedAt = Date.now();

function say(line: string): void {
  console.log(`[${((Date.now() - benchStartedAt) / 1000).toFixed(0).padStart(4)} s] ${line}`);
}

interface SearchResult {
  name: string;
  matching: number;
  page1: { p50: number; p99: number };
  page2p50: number | null;
  rows: number;
}

async function runBench(options: Options): Promise<number> {
  const caravan = new CaravanUnderTest({ postgresUrl: options.postgresUrl, redisUrl: options.redisUrl });
  const loadAverage = os.loadavg()[0];
  if (loadAverage > os.cpus().length / 2) {
    say(`warning: the load average is ${loadAverage.toFixed(2)} on ${os.cpus().length} cores: the numbers will be slower than on an idle machine`);
  }
  say(`starting the Caravan api (database ${caravan.databaseName}), which migrates it`);
  if (options.keepDatabase) cleanup.add('stop Caravan (the database is kept)', () => caravan.api?.stop());
  else cleanup.add('stop Caravan and remove its database and Redis keys', () => caravan.destroy());
  await caravan.startApi();
  const db = new Client({ connectionString: caravan.databaseUrl });
  await db.connect();
  cleanup.add('close the bench connection', () => db.end());

  // Projects, endpoints and sources through the API, as a user makes them; an extra project takes the insert probe's rows.
  const root = caravan.rootClient();
  const projectIds: string[] = [];
  const keys: string[] = [];
  const endpointIds: string[] = [];
  const sourceIds: string[] = [];
  for (const name of [...PROJECTS, 'search-insert-probe']) {
    const project = await root.post<{ id: string }>('/projects', { name });
    const key = (await root.post<{ key: string }>(`/projects/${project.id}/api-keys`, { name: 'bench' })).key;
    projectIds.push(project.id);
    keys.push(key);
    if (!PROJECTS.includes(name)) continue;
    const client = root.withKey(key);
    for (let k = 0; k < ENDPOINTS_PER_PROJECT; k++) {
      const endpoint = await client.post<{ id: string }>(`/projects/${project.id}/endpoints`, { name: `endpoint-${k}`, url: `http://127.0.0.1:9/hook/${k}` });
      endpointIds.push(endpoint.id);
    }
    for (let k = 0; k < SOURCES_PER_PROJECT; k++) {
      const source = await client.post<{ id: string }>(`/projects/${project.id}/sources`, { name: `source-${k}`, verifier: { type: 'none' } });
      sourceIds.push(source.id);
    }
  }

  const definitions = new Map<string, string>();
  const indexNames = INDEX_STAGES.flatMap((stage) => stage.indexes);
  const found = await db.query<{ indexname: string; indexdef: string }>('SELECT indexname, indexdef FROM pg_indexes WHERE indexname = ANY($1)', [indexNames]);
  for (const row of found.rows) definitions.set(row.indexname, row.indexdef);
  const missing = indexNames.filter((name) => !definitions.has(name));
  if (missing.length) throw new Error(`the migrated database lacks ${missing.join(', ')}`);
  // Seeding is faster without them, and the probe below measures inserts with none, then each stage.
  for (const name of indexNames) await db.query(`DROP INDEX ${name}`);

  say(`seeding ${options.events.toLocaleString('en')} events over ${SEED_DAYS} days in ${PROJECTS.length} projects (70/20/10 %), and their deliveries`);
  const seeded = await seedSearchData(db, { projectIds: projectIds.slice(0, PROJECTS.length), endpointIds, sourceIds }, options.events);
  say(`  ${seeded.events.toLocaleString('en')} events in ${seeded.eventsSeconds.toFixed(0)} s, ${seeded.deliveries.toLocaleString('en')} deliveries in ${seeded.deliveriesSeconds.toFixed(0)} s`);
  await db.query('VACUUM ANALYZE events');
  await db.query('VACUUM ANALYZE event_deliveries');

  const probeProject = projectIds[PROJECTS.length];
  // Each stage is measured twice: adding the indexes before the searches, dropping them after;
  // on a shared machine the two tell the index's cost from the neighbours' noise.
  const stageNames = ['no search index', ...INDEX_STAGES.map((stage) => stage.name)];
  const inserts = new Map<string, { build: number | null; results: InsertProbeResult[] }>(
    stageNames.map((name) => [name, { build: null, results: [] }]),
  );
  let probed = 0;
  const probe = async (stage: string) => {
    if (options.insertEvents === 0) return;
    const result = await probeInserts(db, probeProject, options.insertEvents, probed);
    probed += result.events;
    inserts.get(stage)!.results.push(result);
    say(`  insert with ${stage}: ${result.eventsPerSecond.toFixed(0)} events/s, batch of ${INSERT_BATCH_SIZE} p50 ${result.batch.p50.toFixed(1)} ms, p99 ${result.batch.p99.toFixed(1)} ms`);
  };
  say(`insert cost: ${options.insertEvents.toLocaleString('en')} events in batches of ${INSERT_BATCH_SIZE} per index stage`);
  await probe(stageNames[0]);
  for (const stage of INDEX_STAGES) {
    const started = Date.now();
    for (const name of stage.indexes) await db.query(definitions.get(name)!);
    const build = (Date.now() - started) / 1000;
    inserts.get(stage.name)!.build = build;
    say(`  built ${stage.name} in ${build.toFixed(0)} s`);
    await probe(stage.name);
  }
  // The probe's rows would be the newest of all: gone, so the searches see the seeded mix only.
  await db.query('DELETE FROM events WHERE project_id = $1', [probeProject]);
  await db.query('VACUUM ANALYZE events');
  await db.query('VACUUM ANALYZE event_deliveries');

  const subjects = await findSubjects(db, projectIds[0], endpointIds);
  const cases = searchCases(subjects);
  const baseUrl = `${caravan.api!.url}/api/v1/projects/${subjects.projectId}`;
  const key = keys[0];
  say(`searching project ${PROJECTS[0]}: ${cases.length} searches, ${options.runs} runs each (after ${WARM_UP_RUNS} warm-up runs), one at a time`);
  const results: SearchResult[] = [];
  for (const searchCase of cases) {
    results.push(await timeSearch(db, baseUrl, key, searchCase, subjects.projectId, options.runs));
    const last = results[results.length - 1];
    say(`  ${last.name}: p50 ${last.page1.p50.toFixed(1)} ms, p99 ${last.page1.p99.toFixed(1)} ms (${last.matching.toLocaleString('en')} matching)`);
  }

  say('insert cost again, dropping the indexes stage by stage');
  for (let stage = INDEX_STAGES.length - 1; stage >= 0; stage--) {
    await probe(INDEX_STAGES[stage].name);
    for (const name of INDEX_STAGES[stage].indexes) await db.query(`DROP INDEX ${name}`);
  }
  await probe(stageNames[0]);

  const both = (results: InsertProbeResult[], value: (result: InsertProbeResult) => number, unit = '') =>
    results.length ? results.map((result) => `${value(result).toFixed(unit ? 1 : 0)}${unit}`).join(' / ') : '-';
  console.log('');
  console.log(`date ${new Date().toISOString()}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? '?'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average at start ${loadAverage.toFixed(2)}, now ${os.loadavg()[0].toFixed(2)}`);
  const version = (await db.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version.split(' ')[0];
  console.log(`PostgreSQL ${version}, ${seeded.events.toLocaleString('en')} events, ${seeded.deliveries.toLocaleString('en')} deliveries`);
  console.log('');
  printTable(
    [`index stage (insert probe: before / after the searches)`, 'build', 'events/s', `batch of ${INSERT_BATCH_SIZE} p50`, 'batch p99'],
    [...inserts].map(([stage, { build, results }]) => [
      stage,
      build === null ? '' : `${build.toFixed(0)} s`,
      both(results, (result) => result.eventsPerSecond),
      both(results, (result) => result.batch.p50, ' ms'),
      both(results, (result) => result.batch.p99, ' ms'),
    ]),
  );
  console.log('');
  printTable(
    ['search (project of 70 %, limit 20)', 'matching', 'page 1 p50', 'page 1 p99', 'page 2 p50'],
    results.map((result) => [
      result.name,
      result.matching.toLocaleString('en'),
      `${result.page1.p50.toFixed(1)} ms`,
      `${result.page1.p99.toFixed(1)} ms`,
      result.page2p50 === null ? '-' : `${result.page2p50.toFixed(1)} ms`,
    ]),
  );
  console.log(`\n(${((Date.now() - benchStartedAt) / 1000).toFixed(0)} s${options.keepDatabase ? `; database ${caravan.databaseName} kept` : ''})`);
  return 0;
}

/** Ids and values of the seeded data to search for, from the largest project. */
async function findSubjects(db: Client, projectId: string, endpointIds: string[]): Promise<SearchSubjects> {
  const one = async (sql: string, params: unknown[] = []) => Object.values((await db.query(sql, params)).rows[0] ?? {})[0] as string;
  const middle = await one(`SELECT min(created_at) + (max(created_at) - min(created_at)) / 2 FROM events WHERE project_id = $1`, [projectId]);
  const hourStart = new Date(new Date(middle).getTime() - ((new Date(middle).getTime()) % 3_600_000));
  return {
    projectId,
    busyEndpointId: endpointIds[0],
    quietEndpointId: endpointIds[ENDPOINTS_PER_PROJECT - 1],
    sourceId: await one(`SELECT source_id FROM events WHERE project_id = $1 AND source_id IS NOT NULL LIMIT 1`, [projectId]),
    idempotencyKey: await one(`SELECT idempotency_key FROM events WHERE project_id = $1 AND idempotency_key IS NOT NULL ORDER BY id LIMIT 1 OFFSET 1000`, [projectId]),
    eventId: await one(`SELECT event_id FROM event_deliveries WHERE project_id = $1 ORDER BY id LIMIT 1 OFFSET 5000`, [projectId]),
    orderId: await one(`SELECT payload::json -> 'metadata' ->> 'order_id' FROM events WHERE project_id = $1 ORDER BY id LIMIT 1 OFFSET 12345`, [projectId]),
    hourStart: hourStart.toISOString(),
    hourEnd: new Date(hourStart.getTime() + 3_600_000).toISOString(),
  };
}

async function timeSearch(db: Client, baseUrl: string, key: string, searchCase: SearchCase, projectId: string, runs: number): Promise<SearchResult> {
  const get = async (path: string) => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` }, signal: AbortSignal.timeout(60_000) });
    const text = await response.text();
    const elapsed = performance.now() - started;
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return { elapsed, body: JSON.parse(text) as { data: unknown[]; next_cursor: string | null } };
  };
  const samples: number[] = [];
  let first = await get(searchCase.path);
  for (let run = 1; run < WARM_UP_RUNS; run++) first = await get(searchCase.path);
  for (let run = 0; run < runs; run++) samples.push((await get(searchCase.path)).elapsed);
  let page2p50: number | null = null;
  if (first.body.next_cursor) {
    const next = `${searchCase.path}${searchCase.path.includes('?') ? '&' : '?'}cursor=${first.body.next_cursor}`;
    const pageTwo: number[] = [];
    for (let run = 0; run < Math.max(5, Math.ceil(runs / 3)); run++) pageTwo.push((await get(next)).elapsed);
    page2p50 = summarizeLatencies(pageTwo).p50;
  }
  const summary = summarizeLatencies(samples);
  const matching = (await db.query<{ n: number }>(searchCase.count, [projectId])).rows[0].n;
  return { name: searchCase.name, matching, page1: { p50: summary.p50, p99: summary.p99 }, page2p50, rows: first.body.data.length };
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((width, column) => (column === 0 ? ` ${'-'.repeat(width)} ` : ` ${'-'.repeat(width - 1)}: `)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

async function finish(code: number): Promise<never> {
  await cleanup.run();
  process.exit(code);
}

interruption.listen((signal) => {
  console.log(`\n${signal === 'SIGINT' ? 'Interrupted' : signal}: cleaning up (Ctrl-C again to quit at once).`);
  void finish(130);
});

Promise.resolve()
  .then(() => runBench(parseOptions(process.argv.slice(2))))
  .catch((error: unknown) => {
    if (interruption.happened) return new Promise<number>(() => undefined);
    console.error(`\nThe bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  })
  .then((code) => (interruption.happened ? undefined : finish(code)));
