import * as fs from 'node:fs';
import * as path from 'node:path';
import { WebSocket } from 'undici';

/** A V8 CPU profile as the inspector's Profiler.stop returns it (the .cpuprofile format). */
interface CpuProfile {
  nodes: {
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
    children?: number[];
  }[];
  startTime: number;
  endTime: number;
  samples?: number[];
}

export interface ProfileSummary {
  file: string;
  /**
   * Share of sampled time per owner: a node_modules package or a Caravan lib, with the native and
   * node-internal time it caused; V8's own entries (GC, idle, program) apart.
   */
  byArea: { name: string; percent: number }[];
  /** Functions with the most self time. */
  byFunction: { name: string; percent: number }[];
}

/** A DevTools protocol session with a process started with --inspect=127.0.0.1:0. */
export class InspectorSession {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (value: any) => void; reject: (error: Error) => void }
  >();

  private constructor(private readonly socket: WebSocket) {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as {
        id?: number;
        result?: unknown;
        error?: { message: string };
      };
      const waiter = message.id !== undefined ? this.waiting.get(message.id) : undefined;
      if (!waiter) return;
      this.waiting.delete(message.id!);
      if (message.error) waiter.reject(new Error(message.error.message));
      else waiter.resolve(message.result);
    });
  }

  static async open(inspectorUrl: string): Promise<InspectorSession> {
    const socket = new WebSocket(inspectorUrl);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true });
      socket.addEventListener('error', () => reject(new Error(`cannot reach the inspector at ${inspectorUrl}`)), { once: true });
    });
    return new InspectorSession(socket);
  }

  call(method: string, params: object = {}): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** The process's V8 heap in use after a full garbage collection, in MB: what a leak makes grow. */
  async heapAfterGcMb(): Promise<number> {
    await this.call('HeapProfiler.collectGarbage');
    const { result } = (await this.call('Runtime.evaluate', {
      expression: 'process.memoryUsage().heapUsed',
      returnByValue: true,
    })) as { result: { value: number } };
    return result.value / 1024 / 1024;
  }

  close(): void {
    this.socket.close();
  }
}

/**
 * Profiles a running Caravan process over its inspector (started with --inspect=127.0.0.1:0), for
 * as long as the bench wants: Caravan's processes re-raise SIGTERM after shutdown, so --cpu-prof,
 * which writes at a normal exit, never would.
 */
export class CpuProfiler {
  private constructor(private readonly session: InspectorSession) {}

  static async start(inspectorUrl: string): Promise<CpuProfiler> {
    const session = await InspectorSession.open(inspectorUrl);
    await session.call('Profiler.enable');
    await session.call('Profiler.start');
    return new CpuProfiler(session);
  }

  /** Stops, writes `file` (open it in Chrome DevTools or speedscope) and summarises it. */
  async stop(file: string): Promise<ProfileSummary> {
    const { profile } = (await this.session.call('Profiler.stop')) as { profile: CpuProfile };
    this.session.close();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(profile));
    return { file, ...summarize(profile) };
  }
}

function summarize(profile: CpuProfile): Omit<ProfileSummary, 'file'> {
  const hits = new Map<number, number>();
  for (const sample of profile.samples ?? []) hits.set(sample, (hits.get(sample) ?? 0) + 1);
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);

  // Native and node-internal frames (socket writes, JSON, crypto) are charged to the nearest
  // package or Caravan frame below them on the stack: writev says less than "pg's writev" does.
  const ownerOf = (id: number): string => {
    const own = nodes.get(id)!.callFrame;
    if (!own.url && own.functionName.startsWith('(')) return own.functionName;
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const owner = ownerArea(nodes.get(at)!.callFrame.url);
      if (owner) return owner;
    }
    return own.url.startsWith('node:') ? 'node internals' : '(native)';
  };

  let total = 0;
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, count] of hits) {
    total += count;
    const area = ownerOf(id);
    byArea.set(area, (byArea.get(area) ?? 0) + count);
    const { functionName, url, lineNumber } = nodes.get(id)!.callFrame;
    const where = url ? ` ${shortUrl(url)}:${lineNumber + 1}` : '';
    const name = `${functionName || '(anonymous)'}${where}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + count);
  }
  const top = (counts: Map<string, number>, n: number) =>
    [...counts.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([name, count]) => ({ name, percent: (count / Math.max(1, total)) * 100 }));
  return { byArea: top(byArea, 12), byFunction: top(byFunction, 15) };
}

/** A package under node_modules, or a Caravan lib or app; null for node's own code and V8's. */
function ownerArea(url: string): string | null {
  const packageMatch = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (packageMatch) return packageMatch[1];
  const caravanMatch = /dist\/((?:libs|apps)\/[^/]+)/.exec(url);
  return caravanMatch ? `caravan ${caravanMatch[1]}` : null;
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*?\/(node_modules|dist)\//, '$1/');
}
