import * as fs from 'node:fs';
import * as path from 'node:path';
import { LatencySummary } from './latency-summary';
import { DeliveryBaselineResult } from './phases/delivery-baseline';
import { EndToEndResult } from './phases/end-to-end-phase';
import { StoreCounters } from './caravan-under-test';
import { ProfileSummary } from './cpu-profiler';
import { IngestLoadResult } from './phases/ingest-load';
import { SoakResult } from './phases/soak-phase';
import { ProcessUsage } from './process-usage';

export interface IngestRun {
  target: 'caravan' | 'baseline';
  load: string;
  connections: number;
  result: IngestLoadResult;
  usage: Record<string, ProcessUsage>;
  /** Postgres and Redis work during the run. */
  store: StoreCounters;
}

export interface BenchResults {
  date: string;
  machine: { node: string; cpus: number; loadAverageAtStart: number; postgres: string; redis: string };
  settings: {
    connections: number;
    phaseSeconds: number;
    deliveryConcurrency: number;
    /** Agent processes; the agent column sums their CPU and RSS. */
    agents: number;
    drainTimeoutSeconds: number;
  };
  ingest: IngestRun[];
  /** The agent routing the events left by the ingest phases (no subscription matches them). */
  routingBacklog: { events: number; seconds: number; perSecond: number } | null;
  endToEnd: (EndToEndResult & { store: StoreCounters })[];
  deliveryBaseline: (DeliveryBaselineResult & { usage: Record<string, ProcessUsage> }) | null;
  ratios: Record<string, number>;
  soak: SoakResult | null;
  /** With --profile: where the profiled process spent its CPU during its phase. */
  profiles: Record<string, ProfileSummary>;
  /** Warning and error lines Caravan's processes printed during the run. */
  processOutput: Record<string, { count: number; first: string[] }>;
}

const PROCESS_COLUMNS = [
  'api',
  'agent',
  'ingest-baseline',
  'receiver',
  'postgres',
  'redis',
  'bench',
  'other',
];

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const ms = (value: number) =>
  Number.isFinite(value) ? (value < 10 ? value.toFixed(2) : value.toFixed(0)) : '-';

function table(headers: string[], rows: string[][], firstWidth: number): string[] {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  widths[0] = Math.max(widths[0], firstWidth);
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

function usageCell(usage: ProcessUsage | undefined): string {
  if (!usage) return '-';
  return usage.peakRssMb === null
    ? `${fixed(usage.cpuPercent, 0)}%`
    : `${fixed(usage.cpuPercent, 0)}% ${fixed(usage.peakRssMb, 0)}M`;
}

function latencyCells(latency: LatencySummary): string[] {
  return [ms(latency.p50), ms(latency.p99), ms(latency.max)];
}

/** The whole report as lines of text: the tables, the ratios to the baselines, and what looked wrong. */
export function formatReport(results: BenchResults): string[] {
  const lines: string[] = [];
  const { machine, settings } = results;
  lines.push(
    `Caravan bench ${results.date}: node ${machine.node}, ${machine.cpus} cores, ${machine.postgres}, Redis ${machine.redis} (all local)` +
      (settings.agents > 1 ? `; ${settings.agents} agents (the agent column sums them)` : ''),
    '',
    `INGEST  POST /api/v1/projects/{id}/events, autocannon, ${settings.connections} connections, ${settings.phaseSeconds} s per row`,
  );
  lines.push(
    ...table(
      ['target', 'load', 'events/s', 'p50 ms', 'p99 ms', 'max ms', 'non-2xx', 'errors'],
      results.ingest.map((run) => [
        run.target === 'caravan' ? 'Caravan api' : 'baseline (Fastify + INSERT + queue.add)',
        run.load,
        fixed(run.result.acceptedPerSecond, 0),
        ...latencyCells(run.result.latency),
        String(run.result.non2xx),
        String(run.result.errors),
      ]),
      40,
    ),
  );
  if (results.routingBacklog) {
    const backlog = results.routingBacklog;
    lines.push(
      backlog.events === 0
        ? 'the ingested events (no subscription matches them) were routed as they were stored: no agent work, no routing job'
        : `then the agent routed the ${backlog.events} ingested events (no subscription matches them) in ${fixed(backlog.seconds)} s: ${fixed(backlog.perSecond, 0)} events/s`,
    );
  }

  lines.push(
    '',
    'END TO END  fixed rate for a bounded time, then the tail drains; latency = ingest send time -> receiver, first receipt',
  );
  lines.push(
    ...table(
      [
        'phase',
        'offered/s',
        'deliveries',
        'delivered',
        'lost',
        'dup',
        'deliv/s',
        'drain s',
        'p50 ms',
        'p99 ms',
        'max ms',
        'api p99 ms',
        'events in',
      ],
      [
        ...results.endToEnd.map((run) => [
          run.run === 'soak'
            ? `soak, x1 at ${run.eventsPerSecond} ev/s`
            : `x${run.fanOut} endpoint${run.fanOut > 1 ? 's' : ''}, ${run.eventsPerSecond} ev/s`,
          String(run.eventsPerSecond * run.fanOut),
          String(run.expected),
          String(run.delivered),
          String(run.lost),
          String(run.duplicates),
          fixed(run.deliveriesPerSecond, 0),
          fixed(run.drainSeconds),
          ...latencyCells(run.latency),
          ms(run.send.apiLatency.p99),
          `${run.send.accepted}/${Math.round(run.eventsPerSecond * run.durationSeconds)}`,
        ]),
        ...(results.deliveryBaseline
          ? [
              [
                `baseline: undici, ${results.deliveryBaseline.concurrency} concurrent`,
                'max',
                String(results.deliveryBaseline.sent),
                String(results.deliveryBaseline.delivered),
                String(
                  results.deliveryBaseline.sent -
                    results.deliveryBaseline.failed -
                    results.deliveryBaseline.delivered,
                ),
                '-',
                fixed(results.deliveryBaseline.deliveriesPerSecond, 0),
                '-',
                ...latencyCells(results.deliveryBaseline.latency),
                '-',
                '-',
              ],
            ]
          : []),
      ],
      28,
    ),
  );

  lines.push(
    'deliv/s: distinct deliveries per second from the first send to the last delivery; drain s: after the last send.',
    'events in: events the api accepted (202) of those due; the sender keeps at most 20 requests per connection in',
    'flight and skips sends beyond that (open loop), so a shortfall means the api could not keep up.',
  );

  lines.push(
    '',
    "PROCESSES  average CPU (% of one core) and peak RSS during each phase; postgres = the bench database's backends",
    '           and the WAL/checkpoint writers; other = the rest of the machine (should stay near 0)',
  );
  const usageRows: string[][] = [
    ...results.ingest.map((run) => [
      `ingest ${run.target} ${run.load}`,
      ...PROCESS_COLUMNS.map((name) => usageCell(run.usage[name])),
    ]),
    ...results.endToEnd.map((run) => [run.run, ...PROCESS_COLUMNS.map((name) => usageCell(run.usage[name]))]),
    ...(results.deliveryBaseline
      ? [
          [
            'delivery baseline',
            ...PROCESS_COLUMNS.map((name) => usageCell(results.deliveryBaseline!.usage[name])),
          ],
        ]
      : []),
  ];
  lines.push(...table(['phase', ...PROCESS_COLUMNS], usageRows, 28));

  lines.push(
    '',
    'STORE WORK  per accepted event (ingest) or per delivery (end to end), whole servers: Postgres write',
    '            transactions (transaction ids taken) and WAL bytes, Redis commands (inside Lua scripts too)',
  );
  const perUnit = (store: StoreCounters, units: number) =>
    units > 0
      ? [
          fixed(store.postgresWriteTransactions / units, 2),
          fixed(store.walBytes / units, 0),
          fixed(store.redisCommands / units, 1),
        ]
      : ['-', '-', '-'];
  lines.push(
    ...table(
      ['phase', 'per', 'pg write transactions', 'WAL bytes', 'redis commands'],
      [
        ...results.ingest.map((run) => [
          `ingest ${run.target} ${run.load}`,
          'event',
          ...perUnit(run.store, run.result.accepted),
        ]),
        ...results.endToEnd.map((run) => [run.run, 'delivery', ...perUnit(run.store, run.delivered)]),
      ],
      28,
    ),
  );

  if (Object.keys(results.ratios).length) {
    lines.push('', 'CARAVAN / BASELINE');
    for (const [name, value] of Object.entries(results.ratios))
      lines.push(`  ${name.padEnd(52)} ${fixed(value, 2)}`);
  }

  if (results.soak) {
    const { plan, memory, delivery } = results.soak;
    const tolerance = `±${plan.tolerance * 100} %`;
    lines.push(
      '',
      `SOAK  ${plan.durationSeconds} s at ${plan.eventsPerSecond} events/s to one endpoint, RSS every ${plan.sampleEverySeconds} s, warm-up ${plan.warmUpSeconds} s`,
      `  ${delivery.delivered}/${delivery.expected} delivered, ${delivery.lost} lost, ${delivery.duplicates} duplicates, ${fixed(delivery.deliveriesPerSecond, 0)} deliveries/s, drained ${fixed(delivery.drainSeconds, 0)} s after the load`,
      `  created-to-delivered p50 ${fixed(delivery.latency.p50, 0)} ms, p99 ${fixed(delivery.latency.p99, 0)} ms, max ${fixed(delivery.latency.max, 0)} ms; api p99 ${fixed(delivery.send.apiLatency.p99, 0)} ms`,
    );
    for (const [name, entry] of Object.entries(memory)) {
      lines.push(
        `  ${name.padEnd(6)} median RSS ${fixed(entry.earlyMb, 0)} MB early, ${fixed(entry.lateMb, 0)} MB late under load (${entry.drift >= 0 ? '+' : ''}${fixed(entry.drift * 100, 0)} %; samples ${fixed(entry.minMb, 0)}..${fixed(entry.maxMb, 0)} MB): ${entry.withinTolerance ? 'within' : 'OUTSIDE'} ${tolerance}`,
      );
    }
    lines.push(
      Object.keys(memory).length === 0
        ? '  too short to judge memory: it takes 3 samples under load after the warm-up'
        : `  memory ${results.soak.stable ? 'stayed' : 'did NOT stay'} within ${tolerance} after warm-up`,
    );
    for (const [name, heap] of Object.entries(results.soak.heapAfterGc ?? {})) {
      lines.push(
        `  ${name.padEnd(6)} heap after a full GC ${fixed(heap.earlyMb, 0)} MB after the warm-up, ${fixed(heap.lateMb, 0)} MB near the end (${heap.drift >= 0 ? '+' : ''}${fixed(heap.drift * 100, 0)} %): ${heap.withinTolerance ? 'within' : 'OUTSIDE'} ${tolerance}`,
      );
    }
  }

  for (const [name, profile] of Object.entries(results.profiles)) {
    lines.push('', `CPU PROFILE  ${name} (${path.relative(process.cwd(), profile.file)})`);
    lines.push(
      `  by area:  ${profile.byArea.map((area) => `${area.name} ${fixed(area.percent, 0)}%`).join(', ')}`,
    );
    lines.push('  by function (self time):');
    for (const entry of profile.byFunction.slice(0, 12))
      lines.push(`    ${fixed(entry.percent).padStart(5)}%  ${entry.name}`);
  }

  const complaints = Object.entries(results.processOutput).filter(([, output]) => output.count > 0);
  if (complaints.length) {
    lines.push('', 'WARNINGS AND ERRORS Caravan printed');
    for (const [name, output] of complaints) {
      lines.push(`  ${name}: ${output.count} line(s); first:`);
      for (const line of output.first.slice(0, 5)) lines.push(`    ${line.slice(0, 300)}`);
    }
  }
  return lines;
}

/** Caravan over baseline: above 1 means Caravan is faster for rates, slower for latencies. */
export function caravanToBaselineRatios(results: BenchResults): Record<string, number> {
  const ratios: Record<string, number> = {};
  for (const run of results.ingest.filter((entry) => entry.target === 'caravan')) {
    const baseline = results.ingest.find((entry) => entry.target === 'baseline' && entry.load === run.load);
    if (!baseline) continue;
    // At a fixed rate both take what is sent: only latency compares.
    if (run.load === 'full load') {
      ratios[`ingest events/s at ${run.load}`] =
        run.result.acceptedPerSecond / baseline.result.acceptedPerSecond;
    }
    ratios[`ingest p50 latency at ${run.load} (>1: slower)`] =
      run.result.latency.p50 / baseline.result.latency.p50;
    ratios[`ingest p99 latency at ${run.load} (>1: slower)`] =
      run.result.latency.p99 / baseline.result.latency.p99;
  }
  const delivery = results.deliveryBaseline;
  const phases = results.endToEnd.filter((run) => run.run !== 'soak');
  if (delivery && phases.length) {
    const best = Math.max(...phases.map((run) => run.deliveriesPerSecond));
    ratios['deliveries/s, best end-to-end phase / undici loop'] = best / delivery.deliveriesPerSecond;
  }
  return ratios;
}

export function writeJson(file: string, results: BenchResults): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
