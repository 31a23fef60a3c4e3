import { ChildProcess, fork } from 'node:child_process';
import * as path from 'node:path';

/**
 * A bench helper process (receiver, ingest baseline) forked from dist/bench with an IPC channel. It
 * announces `{ type: 'ready', port }`; what it prints is kept for error messages.
 */
export class ForkedChild<Message extends { type: string }> {
  port = 0;
  private output = '';
  private readonly exited: Promise<void>;
  private readonly listeners = new Set<(message: Message) => void>();

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.on(
      'data',
      (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4000)),
    );
    child.stderr?.on(
      'data',
      (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-4000)),
    );
    child.on('message', (message: Message) => this.listeners.forEach((listener) => listener(message)));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
  }

  /** Forks `dist/bench/<script>.js` and waits for its ready message. */
  static async start<Message extends { type: string }>(
    name: string,
    script: string,
    args: string[] = [],
    timeoutMs = 20_000,
  ): Promise<ForkedChild<Message>> {
    const child = fork(path.join(__dirname, `${script}.js`), args, {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const started = new ForkedChild<Message>(name, child);
    try {
      const ready = await started.next((message) => message.type === 'ready', timeoutMs);
      started.port = (ready as unknown as { port: number }).port;
    } catch (error) {
      await started.stop();
      throw error;
    }
    return started;
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get lastOutput(): string {
    return this.output;
  }

  send(message: object): void {
    this.child.send(message);
  }

  /** The next message that `accept` takes; rejects on timeout or when the child exits first. */
  next(accept: (message: Message) => boolean, timeoutMs: number): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => finish(new Error(`${this.name} did not answer in ${timeoutMs} ms:\n${this.output}`)),
        timeoutMs,
      );
      const onExit = () => finish(new Error(`${this.name} exited:\n${this.output}`));
      const listener = (message: Message) => {
        if (accept(message)) finish(null, message);
      };
      const finish = (error: Error | null, message?: Message) => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        this.child.off('exit', onExit);
        if (error) reject(error);
        else resolve(message!);
      };
      this.listeners.add(listener);
      this.child.once('exit', onExit);
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}
