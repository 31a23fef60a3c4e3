import { ChildProcess, spawn } from 'node:child_process';

/**
 * A Caravan process (api or agent) started from the build, as an operator would. Ready when it
 * prints the line that `ready` matches; its output is kept (the tail, plus every warning and error
 * line) so that the report can show what it complained about during the run.
 */
export class ServiceProcess {
  url = '';
  /** The inspector's WebSocket address, when started with --inspect. */
  inspectorUrl: string | null = null;
  readonly problems: string[] = [];
  problemCount = 0;
  private tail = '';
  private partialLine = '';
  private readonly exited: Promise<void>;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const onOutput = (chunk: Buffer) => this.record(chunk.toString());
    child.stdout!.on('data', onOutput);
    child.stderr!.on('data', onOutput);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  static async start(
    name: string,
    entry: string,
    env: Record<string, string | undefined>,
    ready: RegExp,
    nodeArgs: string[] = [],
    timeoutMs = 60_000,
  ): Promise<ServiceProcess> {
    const child = spawn(process.execPath, [...nodeArgs, entry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const started = new ServiceProcess(name, child);
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name} did not start in ${timeoutMs} ms:\n${started.tail}`)),
          timeoutMs,
        );
        const onData = () => {
          const match = ready.exec(started.tail);
          if (!match) return;
          started.url = match[1];
          clearTimeout(timer);
          child.stdout!.off('data', onData);
          resolve();
        };
        child.stdout!.on('data', onData);
        void started.exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`${name} exited before it was ready:\n${started.tail}`));
        });
      });
    } catch (error) {
      await started.stop();
      throw error;
    }
    return started;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  get lastOutput(): string {
    return this.tail;
  }

  /** SIGTERM (Caravan shuts down gracefully), SIGKILL if it is still there after 10 s. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }

  private record(text: string): void {
    this.tail = (this.tail + text).slice(-8000);
    const lines = (this.partialLine + text).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) {
      this.inspectorUrl ??= /Debugger listening on (ws:\/\/\S+)/.exec(line)?.[1] ?? null;
      if (!/\b(WARN|ERROR|FATAL)\b|"level":"(warn|error)"/i.test(line)) continue;
      this.problemCount++;
      if (this.problems.length < 20) this.problems.push(line.trim().slice(0, 400));
    }
  }
}
