import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { createServer } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import Redis from 'ioredis';
import { waitFor } from './wait-for';

export const SENTINEL_MASTER_NAME = 'caravan-test';

/**
 * A real Redis master, one replica and one Sentinel watching them, each its own redis-server process
 * on a free loopback port, in a throwaway directory. For testing that Caravan finds its Redis through
 * Sentinel and follows a failover; `unavailable` says why there is none (no redis-server on PATH).
 */
export class RedisSentinelSet {
  private constructor(
    private readonly dir: string,
    private readonly processes: ChildProcess[],
    readonly ports: { master: number; replica: number; sentinel: number },
  ) {}

  static async start(): Promise<RedisSentinelSet | { unavailable: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caravan-sentinel-'));
    const ports = { master: await freePort(), replica: await freePort(), sentinel: await freePort() };
    const processes: ChildProcess[] = [];
    const set = new RedisSentinelSet(dir, processes, ports);
    const common = ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir];
    try {
      processes.push(await startServer(['--port', String(ports.master), ...common]));
      processes.push(
        await startServer([
          '--port',
          String(ports.replica),
          ...common,
          '--replicaof',
          '127.0.0.1',
          String(ports.master),
        ]),
      );
      // Sentinel rewrites its config file, so it must be a file of its own, writable.
      const config = path.join(dir, 'sentinel.conf');
      fs.writeFileSync(
        config,
        [
          `port ${ports.sentinel}`,
          'bind 127.0.0.1',
          `dir ${dir}`,
          `sentinel monitor ${SENTINEL_MASTER_NAME} 127.0.0.1 ${ports.master} 1`,
          `sentinel down-after-milliseconds ${SENTINEL_MASTER_NAME} 2000`,
          `sentinel failover-timeout ${SENTINEL_MASTER_NAME} 10000`,
          '',
        ].join('\n'),
      );
      processes.push(await startServer([config, '--sentinel'], ports.sentinel));
      // A failover needs the Sentinel to know the replica, and the replica to be in sync.
      await waitFor(
        'the Sentinel to see an in-sync replica',
        async () => {
          const replicas = (await set.sentinelCommand(
            'SENTINEL',
            'REPLICAS',
            SENTINEL_MASTER_NAME,
          )) as string[][];
          return replicas.some(
            (fields) =>
              fieldOf(fields, 'port') === String(ports.replica) &&
              fieldOf(fields, 'master-link-status') === 'ok',
          );
        },
        30_000,
        250,
      );
    } catch (error) {
      await set.stop();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return { unavailable: 'redis-server is not on PATH' };
      throw error;
    }
    return set;
  }

  get sentinels(): string {
    return `127.0.0.1:${this.ports.sentinel}`;
  }

  /** A direct client to one of the servers, bypassing Sentinel, to check where data went. */
  client(port: number): Redis {
    return new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
  }

  /** Promotes the replica and waits until the Sentinel names it the master. */
  async failover(): Promise<void> {
    await this.sentinelCommand('SENTINEL', 'FAILOVER', SENTINEL_MASTER_NAME);
    await waitFor(
      'the Sentinel to name the replica the master',
      async () => {
        const [, port] = (await this.sentinelCommand(
          'SENTINEL',
          'GET-MASTER-ADDR-BY-NAME',
          SENTINEL_MASTER_NAME,
        )) as string[];
        return port === String(this.ports.replica);
      },
      30_000,
      250,
    );
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.processes.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async sentinelCommand(...args: string[]): Promise<unknown> {
    const sentinel = new Redis({
      host: '127.0.0.1',
      port: this.ports.sentinel,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
    });
    try {
      await sentinel.connect();
      return await sentinel.call(args[0], ...args.slice(1));
    } finally {
      sentinel.disconnect();
    }
  }
}

async function startServer(args: string[], port = Number(args[1])): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`redis-server ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
  await Promise.race([
    failed,
    waitFor(
      `redis-server on port ${port}`,
      async () => {
        const probe = new Redis({
          host: '127.0.0.1',
          port,
          lazyConnect: true,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        probe.on('error', () => undefined);
        try {
          await probe.connect();
          return (await probe.ping()) === 'PONG';
        } finally {
          probe.disconnect();
        }
      },
      10_000,
      100,
    ),
  ]);
  failed.catch(() => undefined);
  return child;
}

function fieldOf(fields: string[], name: string): string | undefined {
  const index = fields.indexOf(name);
  return index >= 0 ? fields[index + 1] : undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}
