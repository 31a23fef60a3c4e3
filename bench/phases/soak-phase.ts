import { ProcessUsageSampler } from '../process-usage';
import { EndToEndContext, EndToEndResult, runEndToEnd } from './end-to-end-phase';

export interface SoakPlan {
  eventsPerSecond: number;
  durationSeconds: number;
  sampleEverySeconds: number;
  warmUpSeconds: number;
  /** Allowed drift of the memory level from just after warm-up to the end of the load, as a fraction. */
  tolerance: number;
}

export interface RssSample {
  atSeconds: number;
  rssMb: Record<string, number>;
}

export interface SoakMemory {
  /** Median RSS over the first and the last third of the samples taken under load after warm-up. */
  earlyMb: number;
  lateMb: number;
  /** late / early - 1. */
  drift: number;
  /** The extremes of those samples: the garbage collector's sawtooth, not a trend. */
  minMb: number;
  maxMb: number;
  withinTolerance: boolean;
}

/** V8 heap in use after a forced full collection, at the end of the warm-up and near the end of the load. */
export interface HeapAfterGc {
  earlyMb: number;
  lateMb: number;
  /** late / early - 1. */
  drift: number;
  withinTolerance: boolean;
}

/** Measures each process's heap after a full collection (over its inspector); null when it has none. */
export type HeapProbe = () => Promise<Record<string, number> | null>;

export interface SoakResult {
  plan: SoakPlan;
  /** Only when the processes have inspectors (the bench starts them so for a soak). */
  heapAfterGc: Record<string, HeapAfterGc>;
  delivery: EndToEndResult;
  /** Every sample, the drain after the load included. */
  samples: RssSample[];
  memory: Record<string, SoakMemory>;
  stable: boolean;
}

export const DEFAULT_SOAK: SoakPlan = {
  eventsPerSecond: 500,
  durationSeconds: 300,
  sampleEverySeconds: 10,
  warmUpSeconds: 60,
  tolerance: 0.2,
};

/**
 * A long run at a steady rate (one endpoint per event) that samples the api's and the agent's RSS:
 * memory that keeps growing after warm-up is a leak (or an unbounded cache) to chase.
 */
export async function runSoak(plan: SoakPlan, context: EndToEndContext, heapProbe: HeapProbe): Promise<SoakResult> {
  const samples: RssSample[] = [];
  // RSS follows the collector's sawtooth; the heap that survives a full collection does not. Two
  // forced collections (two pauses) in a run: at the end of the warm-up and 5 s before the end.
  const heaps: (Record<string, number> | null)[] = [];
  const probeHeap = () => {
    heaps.push(null);
    const slot = heaps.length - 1;
    void heapProbe().then(
      (heap) => {
        heaps[slot] = heap;
        if (heap) context.say(`    heap after a full GC: ${Object.entries(heap).map(([name, mb]) => `${name} ${mb.toFixed(0)} MB`).join(', ')}`);
      },
      () => undefined,
    );
  };
  const heapTimers = [plan.warmUpSeconds, Math.max(plan.warmUpSeconds + 1, plan.durationSeconds - 5)].map((seconds) =>
    setTimeout(probeHeap, seconds * 1000),
  );
  const watched = context.processes.filter((group) => group.name === 'api' || group.name === 'agent');
  const startedAt = Date.now();
  const sample = async () => {
    const rssMb = await ProcessUsageSampler.rssMb(watched);
    const atSeconds = Math.round((Date.now() - startedAt) / 1000);
    samples.push({ atSeconds, rssMb });
    context.say(
      `    soak ${atSeconds} s: api ${rssMb.api?.toFixed(0)} MB, agent ${rssMb.agent?.toFixed(0)} MB RSS`,
    );
  };
  const timer = setInterval(() => void sample(), plan.sampleEverySeconds * 1000);
  let delivery: EndToEndResult;
  try {
    delivery = await runEndToEnd(
      {
        fanOut: 1,
        eventsPerSecond: plan.eventsPerSecond,
        durationSeconds: plan.durationSeconds,
        run: 'soak',
      },
      context,
    );
  } finally {
    clearInterval(timer);
    heapTimers.forEach(clearTimeout);
  }
  const heapAfterGc: Record<string, HeapAfterGc> = {};
  const [early, late] = heaps;
  for (const name of Object.keys(early ?? {})) {
    if (!early || !late || !(late[name] > 0)) continue;
    const drift = late[name] / early[name] - 1;
    heapAfterGc[name] = { earlyMb: early[name], lateMb: late[name], drift, withinTolerance: Math.abs(drift) <= plan.tolerance };
  }

  // Single samples swing with each garbage collection (by ±40 % on a busy api): compare the level
  // early under load with the level late under load, each a median, rather than sample by sample.
  const underLoad = samples.filter(
    (entry) => entry.atSeconds >= plan.warmUpSeconds && entry.atSeconds <= plan.durationSeconds,
  );
  const memory: Record<string, SoakMemory> = {};
  for (const name of watched.map((group) => group.name)) {
    const values = underLoad.map((entry) => entry.rssMb[name]).filter((value) => value > 0);
    if (values.length < 3) continue;
    const third = Math.floor(values.length / 3);
    const earlyMb = median(values.slice(0, third));
    const lateMb = median(values.slice(values.length - third));
    const drift = lateMb / earlyMb - 1;
    memory[name] = {
      earlyMb,
      lateMb,
      drift,
      minMb: Math.min(...values),
      maxMb: Math.max(...values),
      withinTolerance: Math.abs(drift) <= plan.tolerance,
    };
  }
  const verdicts = Object.values(memory);
  return {
    plan,
    heapAfterGc,
    delivery,
    samples,
    memory,
    stable: verdicts.length > 0 && verdicts.every((m) => m.withinTolerance),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
