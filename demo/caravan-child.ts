import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';

// dist/demo/caravan-child.js → dist/apps/standalone/src/main.js: the same build `npm start` runs.
const STANDALONE_ENTRY = path.resolve(__dirname, '../apps/standalone/src/main.js');

// The banner line printed once the API listens (`Caravan API: <url>/api/v1` or `  API    <url>/api/v1`);
// with CARAVAN_API_PORT=0 it names the real port.
const READY = /\bAPI:?\s+(http:\/\/[^/\s]+)\/api\/v1/;

const OUTPUT_TAIL_LINES = 20;

/** Caravan (api + agent in one process) started from the build, as `npm start` would. */
export class CaravanChild {
  url = '';
  private output = '';
  private readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    const collect = (chunk: Buffer) => {
      // Only the tail is ever shown; keep memory flat however chatty the process gets.
      this.output = (this.output + chunk.toString()).slice(-64 * 1024);
    };
    child.stdout!.on('data', collect);
    child.stderr!.on('data', collect);
    this.exited = new Promise((resolve) =>
      child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : null))),
    );
  }

  /** Starts the process; `ready()` then waits for it. Split so a caller can stop it even mid-start. */
  static spawn(env: Record<string, string | undefined>): CaravanChild {
    if (!fs.existsSync(STANDALONE_ENTRY)) {
      throw new Error(`${STANDALONE_ENTRY} is missing: run \`npm run build\` first (\`npm run demo\` does).`);
    }
    // Its own process group: Ctrl-C in the terminal reaches only the demo, which must still use the
    // API (to remove its project) before it stops Caravan itself.
    const child = spawn(process.execPath, [STANDALONE_ENTRY], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
      windowsHide: true, // detached alone would open a console window on Windows
    });
    // Should the demo exit without cleaning up, a detached Caravan would outlive it.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    return new CaravanChild(child);
  }

  /** Resolves with the API's base URL once it listens; rejects when the process exits or times out first. */
  ready(timeoutMs: number): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Caravan did not start within ${timeoutMs / 1000} s.`)),
        timeoutMs,
      );
      const check = () => {
        const match = READY.exec(this.output);
        if (match) {
          this.url = match[1];
          clearTimeout(timer);
          resolve(this.url);
        }
      };
      this.child.stdout!.on('data', check);
      check();
      void this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`Caravan exited (code ${code}) before it was ready.`));
      });
    });
  }

  /** The last lines it printed, for a failure report. */
  outputTail(): string {
    // Nest's logger colours its lines even into a pipe; the codes would show up as noise.
    return stripVTControlCharacters(this.output).trimEnd().split('\n').slice(-OUTPUT_TAIL_LINES).join('\n');
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM lets it close its queue and database cleanly; SIGKILL only if that hangs. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(timer);
    }
  }
}
