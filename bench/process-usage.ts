import * as os from 'node:os';
import pidusage from 'pidusage';

/** What a group of processes used during one phase. */
export interface ProcessUsage {
  /** CPU time over wall time, in percent of one core (up to 200 on two cores). */
  cpuPercent: number;
  /** Highest sampled resident memory, summed over the group's processes; null when not tracked. */
  peakRssMb: number | null;
}

export interface WatchedProcesses {
  name: string;
  /** Asked at every sample: Postgres backends come and go as the pools open and close connections. */
  pids: () => Promise<number[]>;
  /** False for Postgres: its backends share memory, so summing their RSS would mislead. */
  trackRss: boolean;
}

/**
 * Samples processes during a phase: CPU as the growth of their CPU time from the start (or from
 * zero for a process that appeared during the phase) to the last sample, peak RSS from samples
 * every `intervalMs`. Also the whole machine's CPU, and the part no watched process used.
 */
export class ProcessUsageSampler {
  private readonly startCpuMs = new Map<number, number>();
  private readonly lastCpuMs = new Map<number, number>();
  private readonly groupPids = new Map<string, Set<number>>();
  private readonly peakRss = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private startedAt = 0;
  private sampling: Promise<void> = Promise.resolve();
  private machineBusyAtStart = 0;

  private constructor(private readonly groups: WatchedProcesses[]) {}

  static async start(groups: WatchedProcesses[], intervalMs = 500): Promise<ProcessUsageSampler> {
    const sampler = new ProcessUsageSampler(groups);
    sampler.startedAt = performance.now();
    sampler.machineBusyAtStart = machineBusyMs();
    await sampler.sample(true);
    sampler.timer = setInterval(() => {
      sampler.sampling = sampler.sampling.then(() => sampler.sample(false));
    }, intervalMs);
    return sampler;
  }

  async stop(): Promise<Record<string, ProcessUsage>> {
    if (this.timer) clearInterval(this.timer);
    await this.sampling;
    await this.sample(false);
    const wallMs = performance.now() - this.startedAt;
    const usage: Record<string, ProcessUsage> = {};
    for (const group of this.groups) {
      const pids = this.groupPids.get(group.name);
      if (!pids?.size) continue;
      let cpuMs = 0;
      for (const pid of pids) cpuMs += (this.lastCpuMs.get(pid) ?? 0) - (this.startCpuMs.get(pid) ?? 0);
      const rss = this.peakRss.get(group.name);
      usage[group.name] = {
        cpuPercent: wallMs > 0 ? (cpuMs / wallMs) * 100 : 0,
        peakRssMb: group.trackRss && rss !== undefined ? rss / 1024 / 1024 : null,
      };
    }
    // Another program running at the same time makes the phase's numbers unreliable: show it.
    const machine = wallMs > 0 ? ((machineBusyMs() - this.machineBusyAtStart) / wallMs) * 100 : 0;
    const watched = Object.values(usage).reduce((sum, entry) => sum + entry.cpuPercent, 0);
    usage.machine = { cpuPercent: machine, peakRssMb: null };
    usage.other = { cpuPercent: Math.max(0, machine - watched), peakRssMb: null };
    return usage;
  }

  /** Current RSS of each group, in MB (for the soak's timeline). */
  static async rssMb(groups: WatchedProcesses[]): Promise<Record<string, number>> {
    const rss: Record<string, number> = {};
    for (const group of groups) {
      const stats = await Promise.allSettled((await group.pids()).map((pid) => pidusage(pid)));
      rss[group.name] =
        stats.reduce((sum, stat) => sum + (stat.status === 'fulfilled' ? stat.value.memory : 0), 0) /
        1024 /
        1024;
    }
    return rss;
  }

  private async sample(first: boolean): Promise<void> {
    for (const group of this.groups) {
      const pids = await group.pids().catch(() => [] as number[]);
      // One call per pid: a process that has exited (a Postgres backend) must not fail the others.
      const stats = await Promise.allSettled(pids.map((pid) => pidusage(pid)));
      let rss = 0;
      stats.forEach((stat, i) => {
        if (stat.status !== 'fulfilled') return;
        const pid = pids[i];
        if (!this.startCpuMs.has(pid)) this.startCpuMs.set(pid, first ? stat.value.ctime : 0);
        this.lastCpuMs.set(pid, stat.value.ctime);
        let known = this.groupPids.get(group.name);
        if (!known) this.groupPids.set(group.name, (known = new Set()));
        known.add(pid);
        rss += stat.value.memory;
      });
      this.peakRss.set(group.name, Math.max(this.peakRss.get(group.name) ?? 0, rss));
    }
  }
}

/** CPU time all cores spent outside idle since boot, in ms. */
function machineBusyMs(): number {
  return os
    .cpus()
    .reduce((sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq, 0);
}
