import * as os from 'node:os';
import * as path from 'node:path';
import { CleanupStack, Interruption } from '@caravan/common';
import { CaravanUnderTest, EVENT_TYPES, StoreCounters, storeWork } from './caravan-under-test';
import { CpuProfiler, InspectorSession } from './cpu-profiler';
import { eventBody } from './event-payload';
import { ForkedChild } from './forked-child';
import { runDeliveryBaseline } from './phases/delivery-baseline';
import { deliveryCounts, EndToEndContext, EndToEndPlan, runEndToEnd } from './phases/end-to-end-phase';
import { IngestLoadOptions, runIngestLoad } from './phases/ingest-load';
import { DEFAULT_SOAK, runSoak } from './phases/soak-phase';
import { ProcessUsageSampler, WatchedProcesses } from './process-usage';
import { Receiver } from './receiver';
import { BenchResults, caravanToBaselineRatios, formatReport, IngestRun, writeJson } from './report';

/**
 * `npm run bench`: Caravan's api and agent against local PostgreSQL and Redis, a receiver in its
 * own process, and two baselines in the same run (a bare Fastify ingest route, a bare undici
 * delivery loop). Prints tables and writes bench/results/latest.json. See bench/README.md.
 *
 * Usage: node dist/bench/run-bench.js [--soak [--soak-seconds=300] [--soak-rate=500]] [--profile]
 *          [--agents=1] [--seconds=10] [--connections=50] [--phases=ingest,e2e-x1-500,e2e-x10-300,delivery-baseline]
 *          [--postgres-url=postgres://postgres@127.0.0.1:5432/postgres] [--redis-url=redis://127.0.0.1:6379/0]
 */

interface Options {
  soak: boolean;
  soakSeconds: number;
  soakRate: number;
  profile: boolean;
  /** Agent processes: one, as most runs compare; more shows how agents share the work. */
  agents: number;
  seconds: number;
  connections: number;
  postgresUrl: string;
  redisUrl: string;
  /** Which phases run (ingest, e2e-x<fan-out>-<rate>, delivery-baseline); all when unset. */
  phases: Set<string> | null;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    soak: false,
    soakSeconds: DEFAULT_SOAK.durationSeconds,
    soakRate: DEFAULT_SOAK.eventsPerSecond,
    profile: false,
    agents: 1,
    seconds: 10,
    connections: 50,
    postgresUrl: 'postgres://postgres@127.0.0.1:5432/postgres',
    redisUrl: 'redis://127.0.0.1:6379/0',
    phases: null,
  };
  for (const arg of argv) {
    const [name, value = ''] = arg.split(/=(.*)/s, 2);
    if (name === '--soak') options.soak = true;
    else if (name === '--soak-seconds')
      options.soakSeconds = Math.min(Math.max(Number(value) || 300, 90), 3600);
    else if (name === '--soak-rate') options.soakRate = Math.min(Math.max(Number(value) || 500, 1), 5000);
    else if (name === '--profile') options.profile = true;
    else if (name === '--agents') options.agents = Math.min(Math.max(Number(value) || 1, 1), 8);
    else if (name === '--seconds') options.seconds = Math.min(Math.max(Number(value) || 10, 2), 120);
    else if (name === '--connections') options.connections = Math.min(Math.max(Number(value) || 50, 1), 500);
    else if (name === '--postgres-url') options.postgresUrl = value;
    else if (name === '--redis-url') options.redisUrl = value;
    else if (name === '--phases') options.phases = knownPhases(value.split(',').filter(Boolean));
    else throw new Error(`unknown option ${arg}; see bench/README.md`);
  }
  return options;
}

function knownPhases(names: string[]): Set<string> {
  const known = ['ingest', 'delivery-baseline', ...END_TO_END_PLANS.map(planName)];
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length) throw new Error(`unknown phase ${unknown.join(', ')}; phases: ${known.join(', ')}`);
  return new Set(names);
}

function planName(plan: { fanOut: number; eventsPerSecond: number }): string {
  return `e2e-x${plan.fanOut}-${plan.eventsPerSecond}`;
}

const FIXED_INGEST_RATE = 1000;
const WARM_UP_SECONDS = 3;
const DRAIN_TIMEOUT_SECONDS = 90;
const SOAK_DRAIN_TIMEOUT_SECONDS = 600;
const ROUTING_BACKLOG_TIMEOUT_MS = 180_000;
const RESULTS_FILE = path.resolve(__dirname, '../../bench/results/latest.json');
const PROFILES_DIR = path.resolve(__dirname, '../../bench/results/profiles');
// With --profile: which process is profiled during which phase (the busiest one for each).
const PROFILED_PHASES: Record<string, 'api' | 'agent'> = {
  'ingest caravan full load': 'api',
  'e2e-x1-500': 'agent',
  'e2e-x1-1000': 'agent',
  'e2e-x10-600': 'agent',
};
// Offered deliveries per second of 100, 500 and 1,000 with either fan-out, then 3,000 and 6,000
// with ten endpoints: the last above what the agent sends, so the row shows its ceiling.
const END_TO_END_PLANS: Omit<EndToEndPlan, 'durationSeconds'>[] = [
  { fanOut: 1, eventsPerSecond: 100 },
  { fanOut: 1, eventsPerSecond: 500 },
  { fanOut: 1, eventsPerSecond: 1000 },
  { fanOut: 10, eventsPerSecond: 10 },
  { fanOut: 10, eventsPerSecond: 50 },
  { fanOut: 10, eventsPerSecond: 100 },
  { fanOut: 10, eventsPerSecond: 300 },
  { fanOut: 10, eventsPerSecond: 600 },
];

const cleanup = new CleanupStack();
const benchStartedAt = Date.now();
const interruption = new Interruption();
// Kept here so that a failure can show what Caravan printed last.
let caravanUnderTest: CaravanUnderTest | null = null;

function say(line: string): void {
  console.log(`[${((Date.now() - benchStartedAt) / 1000).toFixed(0).padStart(4)} s] ${line}`);
}

async function runBench(options: Options): Promise<number> {
  const caravan = new CaravanUnderTest({ postgresUrl: options.postgresUrl, redisUrl: options.redisUrl });
  caravanUnderTest = caravan;
  let baseline: ForkedChild<{ type: string }> | null = null;

  const loadAverage = os.loadavg()[0];
  if (loadAverage > os.cpus().length) {
    say(
      `warning: the load average is ${loadAverage.toFixed(2)}: something else is running and will skew the numbers`,
    );
  }

  say(`starting the receiver and the Caravan api (database ${caravan.databaseName})`);
  const receiver = await Receiver.start();
  cleanup.add('stop the receiver', () => receiver.stop());
  cleanup.add('stop Caravan and remove its database and Redis keys', () => caravan.destroy());
  // Inspectors for the profiler, and for the soak's heap measurements.
  const inspect = options.profile || options.soak;
  await caravan.startApi(inspect);
  await caravan.setUp((index) => receiver.url(index));
  const redisServer = await caravan.redisServer();

  const processes: WatchedProcesses[] = [
    { name: 'api', pids: async () => (caravan.api?.running ? [caravan.api.pid] : []), trackRss: true },
    { name: 'agent', pids: async () => caravan.agents.filter((agent) => agent.running).map((agent) => agent.pid), trackRss: true },
    { name: 'ingest-baseline', pids: async () => (baseline ? [baseline.pid] : []), trackRss: true },
    { name: 'receiver', pids: async () => [receiver.pid], trackRss: true },
    { name: 'postgres', pids: () => caravan.postgresPids(), trackRss: false },
    { name: 'redis', pids: async () => (redisServer.pid ? [redisServer.pid] : []), trackRss: false },
    { name: 'bench', pids: async () => [process.pid], trackRss: true },
  ];

  const results: BenchResults = {
    date: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      loadAverageAtStart: loadAverage,
      postgres: await caravan.postgresVersion(),
      redis: redisServer.version,
    },
    settings: {
      connections: options.connections,
      phaseSeconds: options.seconds,
      deliveryConcurrency: caravan.deliveryConcurrency,
      agents: options.agents,
      drainTimeoutSeconds: DRAIN_TIMEOUT_SECONDS,
    },
    ingest: [],
    routingBacklog: null,
    endToEnd: [],
    deliveryBaseline: null,
    ratios: {},
    soak: null,
    profiles: {},
    processOutput: {},
  };

  /**
   * Runs a phase and counts the work it made Postgres and Redis do; with --profile and a process
   * chosen for the phase, under that process's CPU profiler.
   */
  const measured = async <T>(
    phase: string,
    work: () => Promise<T>,
  ): Promise<{ result: T; store: StoreCounters }> => {
    const service = PROFILED_PHASES[phase] ? caravan[PROFILED_PHASES[phase]] : null;
    const inspector = options.profile && service ? service.inspectorUrl : null;
    const profiler = service && inspector ? await CpuProfiler.start(inspector) : null;
    const before = await caravan.storeCounters();
    const result = await work();
    if (service && profiler) {
      const file = path.join(PROFILES_DIR, `${service.name}-${phase.replace(/\W+/g, '-')}.cpuprofile`);
      results.profiles[`${service.name} during ${phase}`] = await profiler.stop(file);
    }
    return { result, store: storeWork(before, await caravan.storeCounters()) };
  };

  // Ingest first, with the agent not running yet: it would compete for the same cores, and the
  // baseline has no consumer either. Its events match no subscription.
  const ingest = async (target: IngestRun['target'], url: string, headers: Record<string, string>) => {
    const load: Omit<IngestLoadOptions, 'durationSeconds'> = {
      url,
      headers,
      body: eventBody(EVENT_TYPES.ingest, 'ingest', 1, 0),
      connections: options.connections,
    };
    say(`ingest ${target}: ${WARM_UP_SECONDS} s warm-up`);
    await runIngestLoad({ ...load, durationSeconds: WARM_UP_SECONDS });
    for (const rate of [undefined, FIXED_INGEST_RATE]) {
      const name = rate ? `${rate}/s` : 'full load';
      say(`ingest ${target}: ${name}, ${options.connections} connections, ${options.seconds} s`);
      const { result: measurement, store } = await measured(`ingest ${target} ${name}`, async () => {
        const sampler = await ProcessUsageSampler.start(processes);
        const result = await runIngestLoad({ ...load, durationSeconds: options.seconds, overallRate: rate });
        return { result, usage: await sampler.stop() };
      });
      const { result, usage } = measurement;
      results.ingest.push({ target, load: name, connections: options.connections, result, usage, store });
      say(
        `  ${result.acceptedPerSecond.toFixed(0)} events/s, p50 ${result.latency.p50.toFixed(2)} ms, p99 ${result.latency.p99.toFixed(2)} ms, non-2xx ${result.non2xx}, errors ${result.errors}`,
      );
    }
  };
  const runs = (phase: string) => !options.phases || options.phases.has(phase);
  if (runs('ingest')) {
    await ingest('caravan', caravan.eventsUrl, { authorization: `Bearer ${caravan.projectKey}` });

    say('starting the ingest baseline (Fastify, one INSERT and one BullMQ add per event)');
    const started = await ForkedChild.start<{ type: string }>('ingest baseline', 'ingest-baseline-process', [
      caravan.databaseUrl,
      options.redisUrl,
      caravan.baselineRedisPrefix,
      String(caravan.databasePoolSize),
    ]);
    baseline = started;
    cleanup.add('stop the ingest baseline', () => started.stop());
    await ingest('baseline', `http://127.0.0.1:${started.port}/events`, {});
    await started.stop();
    baseline = null;

  }

  const unrouted = await caravan.unroutedEvents();
  say(`starting ${options.agents > 1 ? `${options.agents} Caravan agents` : 'the Caravan agent'}; ${unrouted} ingested events wait to be routed`);
  await caravan.startAgents(options.agents, inspect);
  const routingStartedAt = Date.now();
  const backlog = await caravan.unroutedEvents();
  let left = backlog;
  while (left > 0 && Date.now() - routingStartedAt < ROUTING_BACKLOG_TIMEOUT_MS) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    left = await caravan.unroutedEvents();
  }
  const routingSeconds = (Date.now() - routingStartedAt) / 1000;
  results.routingBacklog = {
    events: backlog - left,
    seconds: routingSeconds,
    perSecond: (backlog - left) / routingSeconds,
  };
  say(
    `  routed ${backlog - left} events in ${routingSeconds.toFixed(1)} s${left ? `; ${left} still unrouted` : ''}`,
  );

  const context: EndToEndContext = {
    caravan,
    receiver,
    processes,
    connections: options.connections,
    drainTimeoutSeconds: DRAIN_TIMEOUT_SECONDS,
    say,
  };
  // The first deliveries run cold code (JIT, connection pools): keep them out of the first phase.
  say('end to end: 3 s warm-up at 100 events/s');
  await runEndToEnd({ fanOut: 1, eventsPerSecond: 100, durationSeconds: 3, run: 'e2e-warm-up' }, context);
  receiver.forget('e2e-warm-up');
  for (const plan of END_TO_END_PLANS.filter((plan) => runs(planName(plan)))) {
    say(
      `end to end: ${plan.eventsPerSecond} events/s to ${plan.fanOut} endpoint(s) for ${options.seconds} s, then drain`,
    );
    const { result, store } = await measured(planName(plan), () =>
      runEndToEnd({ ...plan, durationSeconds: options.seconds }, context),
    );
    results.endToEnd.push({ ...result, store });
    say(
      `  ${result.delivered}/${result.expected} delivered, ${result.lost} lost, ${result.duplicates} duplicates, ${result.deliveriesPerSecond.toFixed(0)} deliveries/s, p50 ${result.latency.p50.toFixed(1)} ms, p99 ${result.latency.p99.toFixed(1)} ms, max ${result.latency.max.toFixed(0)} ms`,
    );
  }

  if (runs('delivery-baseline')) {
    say(`delivery baseline: undici, ${caravan.deliveryConcurrency} concurrent, ${options.seconds} s`);
    const sampler = await ProcessUsageSampler.start(processes);
    const deliveryBaseline = await runDeliveryBaseline(receiver, caravan.deliveryConcurrency, options.seconds);
    results.deliveryBaseline = { ...deliveryBaseline, usage: await sampler.stop() };
    say(
      `  ${deliveryBaseline.deliveriesPerSecond.toFixed(0)} deliveries/s, p50 ${deliveryBaseline.latency.p50.toFixed(1)} ms, p99 ${deliveryBaseline.latency.p99.toFixed(1)} ms`,
    );
  }

  if (options.soak) {
    const plan = { ...DEFAULT_SOAK, durationSeconds: options.soakSeconds, eventsPerSecond: options.soakRate };
    say(
      `soak: ${plan.durationSeconds} s at ${plan.eventsPerSecond} events/s, RSS every ${plan.sampleEverySeconds} s`,
    );
    // A rate above what the agent delivers leaves a backlog: give it time to drain before counting losses.
    const { result: soak, store } = await measured('soak', () =>
      runSoak(plan, { ...context, drainTimeoutSeconds: SOAK_DRAIN_TIMEOUT_SECONDS }, () => heapsAfterGc(caravan)),
    );
    results.soak = soak;
    results.endToEnd.push({ ...soak.delivery, store });
  }

  // A stalled job may run again long after its delivery arrived: count what came late too.
  for (const run of results.endToEnd) {
    const late = deliveryCounts(await receiver.stats(run.run), run.expected, run.startedAtMs, run.sentAtMs);
    Object.assign(run, {
      delivered: late.delivered,
      lost: late.lost,
      duplicates: late.duplicates,
      repeatedAttempts: late.repeatedAttempts,
      retries: late.retries,
    });
  }
  results.ratios = caravanToBaselineRatios(results);
  for (const service of [caravan.api, ...caravan.agents]) {
    if (service)
      results.processOutput[service.name] = { count: service.problemCount, first: service.problems };
  }

  console.log('');
  for (const line of formatReport(results)) console.log(line);
  writeJson(RESULTS_FILE, results);
  console.log(
    `\nresults: ${path.relative(process.cwd(), RESULTS_FILE)} (${((Date.now() - benchStartedAt) / 1000).toFixed(0)} s)`,
  );
  const clean = results.endToEnd.every((run) => run.lost === 0 && run.duplicates === 0);
  return clean ? 0 : 2;
}

/** The api's and the agent's V8 heap after a full collection, over their inspectors. */
async function heapsAfterGc(caravan: CaravanUnderTest): Promise<Record<string, number> | null> {
  const heaps: Record<string, number> = {};
  for (const service of [caravan.api, caravan.agent]) {
    const url = service?.inspectorUrl ?? null;
    if (!service || !url) return null;
    const session = await InspectorSession.open(url);
    try {
      heaps[service.name] = await session.heapAfterGcMb();
    } finally {
      session.close();
    }
  }
  return heaps;
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
    console.error(
      `\nThe bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    for (const service of [caravanUnderTest?.api, ...(caravanUnderTest?.agents ?? [])]) {
      if (service?.lastOutput)
        console.error(`\n${service.name}'s last output:\n${service.lastOutput.replace(/^/gm, '  | ')}`);
    }
    return 1;
  })
  .then((code) => (interruption.happened ? undefined : finish(code)));
