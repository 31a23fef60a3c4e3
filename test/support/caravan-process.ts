import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { childEnvironment } from '@caravan/common';

const ENTRIES = {
  api: path.resolve(__dirname, '../../apps/api/src/main.js'),
  agent: path.resolve(__dirname, '../../apps/agent/src/main.js'),
  standalone: path.resolve(__dirname, '../../apps/standalone/src/main.js'),
  egress: path.resolve(__dirname, '../../apps/egress/src/main.js'),
  migrate: path.resolve(__dirname, '../../libs/database/src/cli/run-migrations.js'),
};

const READY =
  /(Caravan API: (http:\/\/[^/\s]+)|Caravan agent running; health: (http:\/\/[^/\s]+)|Caravan egress proxy listening on (http:\/\/[^/\s]+)|\n\s+API\s+(http:\/\/[^/\s]+))/;

/** A real Caravan process (api, agent or both), started as a user would, from the build. */
export class CaravanProcess {
  output = '';
  url = '';
  private exited: Promise<number | null>;

  private constructor(
    readonly kind: keyof typeof ENTRIES,
    private readonly child: ChildProcess,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => child.on('exit', (code) => resolve(code)));
  }

  static async start(kind: keyof typeof ENTRIES, env: Record<string, string>, timeoutMs = 20_000): Promise<CaravanProcess> {
    const child = spawn(process.execPath, [ENTRIES[kind]], { env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    const started = new CaravanProcess(kind, child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind} did not start in ${timeoutMs} ms:\n${started.output}`)), timeoutMs);
      const onData = () => {
        const match = READY.exec(started.output);
        if (match) {
          started.url = match[2] ?? match[3] ?? match[4] ?? match[5];
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', onData);
      void started.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${kind} exited with ${code} before it was ready:\n${started.output}`));
      });
    });
    return started;
  }

  /** Runs a process to its end, for checks of what it prints and its exit code. */
  static async runToExit(kind: keyof typeof ENTRIES, env: Record<string, string>, timeoutMs = 20_000): Promise<{ code: number | null; output: string }> {
    const child = spawn(process.execPath, [ENTRIES[kind]], { env: childEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
    const process_ = new CaravanProcess(kind, child);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    const code = await process_.exited;
    clearTimeout(timer);
    return { code, output: process_.output };
  }

  get hasExited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** Graceful stop, as an orchestrator would do it. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Sudden death: no shutdown hooks, in-flight work abandoned. */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
