import { Agent as HttpAgent, createServer, request as httpRequest } from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { Agent as UndiciAgent, Dispatcher, ProxyAgent, request as undiciRequest } from 'undici';
import { CaravanProcess } from '../test/support/caravan-process';

/**
 * What the egress proxy adds to a request's latency: sequential keep-alive requests to a loopback
 * receiver, sent directly and through the proxy, with node:http (absolute-URI requests) and with
 * undici (the agent's client; ProxyAgent tunnels with CONNECT and keeps the tunnel alive), plus
 * the cost of opening a new CONNECT tunnel. Bounded in count and time; loopback only.
 *
 * Usage: node dist/bench/egress-latency.js [requests per mode, default 2000]
 */
const REQUESTS = Math.min(Math.max(Number(process.argv[2] ?? 2000) || 2000, 100), 20_000);
const WARMUP = 100;
const TIME_BUDGET_MS = 8_000;

interface Result {
  name: string;
  samples: number[];
}

async function measure(name: string, count: number, send: () => Promise<void>): Promise<Result> {
  for (let i = 0; i < Math.min(WARMUP, count); i++) await send();
  const samples: number[] = [];
  const deadline = Date.now() + TIME_BUDGET_MS;
  while (samples.length < count && Date.now() < deadline) {
    const started = process.hrtime.bigint();
    await send();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return { name, samples };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function summary(result: Result): { p50: number; p99: number; mean: number } {
  const sorted = [...result.samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((sum, x) => sum + x, 0) / sorted.length,
  };
}

function nodeHttpGet(agent: HttpAgent, options: { host: string; port: number; path: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ ...options, agent }, (response) => {
      response.resume();
      response.on('end', () =>
        response.statusCode === 200 ? resolve() : reject(new Error(`status ${response.statusCode}`)),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

async function undiciGet(dispatcher: Dispatcher, url: string): Promise<void> {
  const response = await undiciRequest(url, { dispatcher });
  await response.body.dump();
  if (response.statusCode !== 200) throw new Error(`status ${response.statusCode}`);
}

/** Opens a tunnel, waits for `200 Connection Established`, closes it. */
function openTunnel(proxyPort: number, authority: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(proxyPort, '127.0.0.1', () =>
      socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`),
    );
    socket.once('data', (chunk: Buffer) => {
      socket.destroy();
      if (chunk.toString('latin1').startsWith('HTTP/1.1 200')) resolve();
      else reject(new Error(chunk.toString('latin1').split('\r\n')[0]));
    });
    socket.on('error', reject);
  });
}

async function main(): Promise<void> {
  const receiver = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': 11 });
    response.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const receiverPort = (receiver.address() as AddressInfo).port;
  // Logs at info, as in production: one JSON line per allowed request is part of the cost.
  const proxy = await CaravanProcess.start('egress', {
    CARAVAN_ENV: 'test',
    CARAVAN_HOST: '127.0.0.1',
    CARAVAN_EGRESS_PORT: '0',
    CARAVAN_LOG_LEVEL: 'info',
  });
  const proxyPort = Number(new URL(proxy.url).port);
  const target = `http://127.0.0.1:${receiverPort}/hook`;

  const directAgent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const proxyAgent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const undiciDirect = new UndiciAgent({ connections: 1 });
  const undiciProxy = new ProxyAgent({ uri: proxy.url, connections: 1 });
  const results: Result[] = [];
  try {
    results.push(
      await measure('node:http direct', REQUESTS, () =>
        nodeHttpGet(directAgent, { host: '127.0.0.1', port: receiverPort, path: '/hook' }),
      ),
    );
    results.push(
      await measure('node:http via proxy (absolute URI)', REQUESTS, () =>
        nodeHttpGet(proxyAgent, { host: '127.0.0.1', port: proxyPort, path: target }),
      ),
    );
    results.push(await measure('undici direct', REQUESTS, () => undiciGet(undiciDirect, target)));
    results.push(
      await measure('undici via ProxyAgent (CONNECT, kept alive)', REQUESTS, () =>
        undiciGet(undiciProxy, target),
      ),
    );
    results.push(
      await measure('new CONNECT tunnel (policy + connect)', Math.ceil(REQUESTS / 4), () =>
        openTunnel(proxyPort, `127.0.0.1:${receiverPort}`),
      ),
    );
  } finally {
    directAgent.destroy();
    proxyAgent.destroy();
    await Promise.all([undiciDirect.close(), undiciProxy.close()]);
    await proxy.stop();
    receiver.closeAllConnections();
    receiver.close();
  }

  const rows = results.map((result) => ({ ...summary(result), name: result.name, n: result.samples.length }));
  const ms = (value: number) => value.toFixed(3).padStart(8);
  console.log(
    `egress proxy latency, sequential requests over loopback (node ${process.version}, ${REQUESTS} per mode after ${WARMUP} warm-up)\n`,
  );
  console.log(
    `${'mode'.padEnd(46)}${'n'.padStart(6)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'mean ms'.padStart(9)}`,
  );
  for (const row of rows)
    console.log(
      `${row.name.padEnd(46)}${String(row.n).padStart(6)} ${ms(row.p50)} ${ms(row.p99)} ${ms(row.mean)}`,
    );
  const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(3)}`;
  const added = (via: (typeof rows)[number], direct: (typeof rows)[number]) =>
    `p50 ${signed(via.p50 - direct.p50)} ms, p99 ${signed(via.p99 - direct.p99)} ms`;
  console.log(`\nadded by the proxy, node:http: ${added(rows[1], rows[0])}`);
  console.log(`added by the proxy, undici:    ${added(rows[3], rows[2])}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
