import { after, before, beforeEach, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { IncomingHttpHeaders, request as httpRequest } from 'node:http';
import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { ProxyAgent, fetch as undiciFetch } from 'undici';
import { CaravanProcess } from './support/caravan-process';
import { attemptedConnections, networkGuardEnv } from './support/network-guard';
import { Receiver } from './support/receiver';
import { waitFor } from './support/wait-for';
import { EMBEDDED } from './support/test-caravan';

// The proxy keeps no state: the external pass runs it, the embedded pass need not again.
const STORAGE_INDEPENDENT = EMBEDDED && 'the proxy uses no storage; it runs in the external pass';

// Network rule of these tests: traffic goes to 127.0.0.0/8 only. Every proxy runs with the
// network guard, which prints each connect it attempts, refuses any off loopback and resolves no
// name but localhost; the last test checks the proxies never even tried another address.

const TOKEN = 'egress-proxy-token-for-tests';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function json(answer: Answer): any {
  return JSON.parse(answer.body);
}

/** An absolute-URI request through the proxy, written exactly as given (no client-side URL clean-up). */
function viaProxy(
  proxy: CaravanProcess,
  target: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const { hostname, port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: hostname,
        port,
        method: options.method ?? 'GET',
        path: target,
        headers: options.headers,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode!,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

interface Tunnel {
  statusLine: string;
  head: string;
  /** What came after the head, up to when the proxy closed the socket or the tunnel opened. */
  body: string;
  socket: Socket;
}

/** Sends `CONNECT authority` on a raw socket and reads the proxy's answer head (and body, for a refusal). */
function connectVia(
  proxy: CaravanProcess,
  authority: string,
  headers: Record<string, string> = {},
): Promise<Tunnel> {
  const { hostname, port } = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.on('connect', () =>
      socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n${extra.join('')}\r\n`),
    );
    socket.on('error', reject);
    const settle = () => {
      const end = received.indexOf('\r\n\r\n');
      const head = received.slice(0, end);
      resolve({ statusLine: head.split('\r\n')[0], head, body: received.slice(end + 4), socket });
    };
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.startsWith('HTTP/1.1 200') && received.includes('\r\n\r\n')) {
        socket.removeAllListeners('data');
        settle();
      }
    });
    socket.on('end', settle);
  });
}

function readFrom(socket: Socket, expectedBytes: number): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += chunk.toString('utf8');
      if (received.length >= expectedBytes) {
        socket.off('data', onData);
        resolve(received);
      }
    };
    socket.on('data', onData);
  });
}

async function metrics(proxy: CaravanProcess): Promise<Record<string, number>> {
  const text = await (await fetch(`${proxy.url}/metrics`)).text();
  return Object.fromEntries(
    text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => [line.slice(0, line.lastIndexOf(' ')), Number(line.slice(line.lastIndexOf(' ') + 1))]),
  );
}

function decisionLines(proxy: CaravanProcess): any[] {
  return proxy.output
    .split('\n')
    .filter((line) => line.startsWith('{"time"'))
    .map((line) => JSON.parse(line));
}

describe('egress proxy', { skip: STORAGE_INDEPENDENT }, () => {
  let receiver: Receiver;
  let echo: Server;
  let echoPort: number;
  /** Like production: nothing allow-listed, so loopback is denied. */
  let strict: CaravanProcess;
  /** Like development: loopback allow-listed (the default outside production). */
  let open: CaravanProcess;
  /** Loopback allow-listed, and a proxy token required. */
  let guarded: CaravanProcess;
  const proxies = () => [strict, open, guarded];

  before(async () => {
    receiver = await Receiver.start();
    echo = createServer((socket) => socket.pipe(socket));
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    echoPort = (echo.address() as AddressInfo).port;
    const base = {
      ...networkGuardEnv(),
      CARAVAN_ENV: 'test',
      CARAVAN_HOST: '127.0.0.1',
      CARAVAN_EGRESS_PORT: '0',
      CARAVAN_LOG_LEVEL: 'info',
    };
    const receiverPort = new URL(receiver.url()).port;
    const started = await Promise.allSettled([
      CaravanProcess.start('egress', {
        ...base,
        CARAVAN_EGRESS_ALLOW_CIDRS: '',
        // The receiver's port is allowed, so what denies it below is its address.
        CARAVAN_EGRESS_ALLOWED_PORTS: `80,443,${receiverPort}`,
        CARAVAN_EGRESS_STATIC_HOSTS: 'webhooks.example.com=127.0.0.1',
      }),
      CaravanProcess.start('egress', {
        ...base,
        CARAVAN_EGRESS_STATIC_HOSTS:
          'receiver.example.com=127.0.0.1,mixed.example.com=127.0.0.1,mixed.example.com=10.0.0.1',
      }),
      CaravanProcess.start('egress', { ...base, CARAVAN_EGRESS_PROXY_TOKEN: TOKEN }),
    ]);
    [strict, open, guarded] = started.map((result) =>
      result.status === 'fulfilled' ? result.value : undefined!,
    );
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) {
      await stopAll();
      throw failed.reason;
    }
  });

  async function stopAll(): Promise<void> {
    await Promise.all(proxies().map((proxy) => proxy?.stop()));
    await receiver.stop();
    if (echo.listening) await new Promise((resolve) => echo.close(resolve));
  }

  after(stopAll);
  beforeEach(() => receiver.answer(() => ({ status: 200, body: 'ok' })));

  it('listens on a free port when CARAVAN_EGRESS_PORT is 0 and answers its health probes', async () => {
    for (const proxy of proxies()) assert.notEqual(new URL(proxy.url).port, '0');
    for (const path of ['/health/live', '/health/ready']) {
      const response = await fetch(`${strict.url}${path}`);
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { status: 'ok' });
    }
  });

  it('denies a public-looking name that resolves to loopback when loopback is not allow-listed', async () => {
    for (const target of [
      `http://webhooks.example.com:${new URL(receiver.url()).port}/hook`,
      'http://webhooks.example.com/hook',
    ]) {
      const answer = await viaProxy(strict, target, { method: 'POST', body: '{}' });
      assert.equal(answer.status, 403, answer.body);
      assert.deepEqual(json(answer), {
        status: 403,
        error: 'Forbidden',
        message: 'webhooks.example.com resolves to loopback address 127.0.0.1',
      });
    }
    assert.equal(receiver.requests.length, 0);
  });

  it('denies decimal, octal, hex and short spellings of 127.0.0.1, as URLs and as CONNECT targets', async () => {
    const port = new URL(receiver.url()).port;
    for (const spelling of ['2130706433', '0177.0.0.1', '0x7f.1', '127.1', '[::ffff:127.0.0.1]']) {
      const answer = await viaProxy(strict, `http://${spelling}:${port}/hook`);
      assert.equal(answer.status, 403, `${spelling}: ${answer.body}`);
      assert.match(json(answer).message, /^loopback address 127\.0\.0\.1\b/, spelling);
      const tunnel = await connectVia(strict, `${spelling}:443`);
      assert.equal(tunnel.statusLine, 'HTTP/1.1 403 Forbidden', spelling);
      assert.match(JSON.parse(tunnel.body).message, /^loopback address 127\.0\.0\.1\b/, spelling);
    }
    assert.equal(receiver.requests.length, 0);
  });

  it('answers CONNECT 10.0.0.1:443 with 403 from the policy, even where loopback is allowed', async () => {
    for (const proxy of [strict, open]) {
      const tunnel = await connectVia(proxy, '10.0.0.1:443');
      assert.equal(tunnel.statusLine, 'HTTP/1.1 403 Forbidden');
      assert.deepEqual(JSON.parse(tunnel.body), {
        status: 403,
        error: 'Forbidden',
        message: 'private address 10.0.0.1',
      });
    }
    const metadata = await connectVia(open, '169.254.169.254:80');
    assert.equal(JSON.parse(metadata.body).message, 'cloud metadata address 169.254.169.254');
  });

  it('denies a port outside the allowed list before resolving the name', async () => {
    const answer = await viaProxy(strict, 'http://smtp.example.com:25/');
    assert.equal(answer.status, 403);
    assert.equal(json(answer).message, 'port 25 not allowed');
  });

  it('forwards an absolute-URI request to an allow-listed loopback receiver: method, headers and body both ways', async () => {
    receiver.answer(() => ({
      status: 201,
      body: 'created',
      headers: {
        'x-reply': 'yes',
        connection: 'x-upstream-hop',
        'x-upstream-hop': '1',
        'keep-alive': 'timeout=99',
      },
    }));
    const target = receiver.url('/forwarded?q=1');
    const answer = await viaProxy(open, target, {
      method: 'POST',
      body: '{"hello":"world"}',
      headers: {
        'content-type': 'application/json',
        'x-caravan-event-id': 'evt_1',
        'proxy-connection': 'keep-alive',
        connection: 'x-per-hop',
        'x-per-hop': 'dropped',
        host: 'spoofed.example',
      },
    });
    assert.equal(answer.status, 201);
    assert.equal(answer.body, 'created');
    assert.equal(answer.headers['x-reply'], 'yes');
    assert.equal(
      answer.headers['x-upstream-hop'],
      undefined,
      'hop-by-hop response headers stop at the proxy',
    );
    assert.notEqual(answer.headers['keep-alive'], 'timeout=99');
    const [received] = receiver.requestsFor('/forwarded?q=1');
    assert.equal(received.method, 'POST');
    assert.equal(received.body, '{"hello":"world"}');
    assert.equal(received.headers['x-caravan-event-id'], 'evt_1');
    assert.equal(received.headers['content-type'], 'application/json');
    assert.equal(received.headers.host, new URL(target).host, 'Host comes from the target URL');
    assert.equal(received.headers['proxy-connection'], undefined);
    assert.equal(received.headers['x-per-hop'], undefined);
  });

  it('reaches a static-hosts name at its allow-listed loopback address', async () => {
    const answer = await viaProxy(open, `http://receiver.example.com:${new URL(receiver.url()).port}/named`);
    assert.equal(answer.status, 200, answer.body);
    assert.equal(
      receiver.requestsFor('/named')[0].headers.host,
      `receiver.example.com:${new URL(receiver.url()).port}`,
    );
  });

  it('denies a name when any one of its addresses is private, contacting none of them', async () => {
    const before = receiver.requests.length;
    const answer = await viaProxy(open, `http://mixed.example.com:${new URL(receiver.url()).port}/mixed`);
    assert.equal(answer.status, 403);
    assert.equal(json(answer).message, 'mixed.example.com resolves to private address 10.0.0.1');
    assert.equal(receiver.requests.length, before);
  });

  it('answers 502 for a name that does not resolve', async () => {
    const answer = await viaProxy(open, 'http://nowhere.example.com/');
    assert.equal(answer.status, 502);
    assert.match(json(answer).message, /^cannot resolve nowhere\.example\.com: ENOTFOUND/);
  });

  it('tunnels bytes both ways with CONNECT to an allow-listed loopback server', async () => {
    const tunnel = await connectVia(open, `127.0.0.1:${echoPort}`);
    assert.equal(tunnel.statusLine, 'HTTP/1.1 200 Connection Established');
    const echoed = readFrom(tunnel.socket, 'ping through the tunnel'.length);
    tunnel.socket.write('ping through the tunnel');
    assert.equal(await echoed, 'ping through the tunnel');
    tunnel.socket.destroy();
  });

  it('passes a redirect back untouched instead of following it', async () => {
    receiver.answer((request) =>
      request.path === '/moved'
        ? { status: 302, headers: { location: 'http://10.0.0.5/' } }
        : { status: 200, body: 'ok' },
    );
    const answer = await viaProxy(open, receiver.url('/moved'));
    assert.equal(answer.status, 302);
    assert.equal(answer.headers.location, 'http://10.0.0.5/');
    assert.equal(receiver.requestsFor('/moved').length, 1);
  });

  it('requires the proxy token when one is set: missing or wrong answers 407, Bearer or Basic password passes', async () => {
    const target = receiver.url('/authorized');
    const attempts: Record<string, string>[] = [
      {},
      { 'proxy-authorization': 'Bearer wrong-token-wrong-token' },
      { 'proxy-authorization': `Basic ${Buffer.from('caravan:nope').toString('base64')}` },
    ];
    for (const headers of attempts) {
      const answer = await viaProxy(guarded, target, { headers });
      assert.equal(answer.status, 407, JSON.stringify(headers));
      assert.equal(
        answer.headers['proxy-authenticate'],
        'Basic realm="caravan-egress", Bearer realm="caravan-egress"',
      );
    }
    const refused = await connectVia(guarded, `127.0.0.1:${echoPort}`);
    assert.equal(refused.statusLine, 'HTTP/1.1 407 Proxy Authentication Required');
    assert.equal(receiver.requestsFor('/authorized').length, 0);

    assert.equal(
      (await viaProxy(guarded, target, { headers: { 'proxy-authorization': `Bearer ${TOKEN}` } })).status,
      200,
    );
    const basic = `Basic ${Buffer.from(`caravan:${TOKEN}`).toString('base64')}`;
    assert.equal(
      (await viaProxy(guarded, target, { headers: { 'proxy-authorization': basic } })).status,
      200,
    );
    const tunnel = await connectVia(guarded, `127.0.0.1:${echoPort}`, {
      'proxy-authorization': `Bearer ${TOKEN}`,
    });
    assert.equal(tunnel.statusLine, 'HTTP/1.1 200 Connection Established');
    tunnel.socket.destroy();
    assert.equal(receiver.requestsFor('/authorized').length, 2);
  });

  it("serves undici's ProxyAgent (the agent's HTTP client) through a CONNECT tunnel with the token", async () => {
    const dispatcher = new ProxyAgent({ uri: guarded.url, token: `Bearer ${TOKEN}` });
    try {
      const response = await undiciFetch(receiver.url('/via-undici'), {
        method: 'POST',
        body: 'payload',
        dispatcher,
      });
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'ok');
      assert.equal(receiver.requestsFor('/via-undici')[0].body, 'payload');
    } finally {
      await dispatcher.close();
    }
  });

  it('counts allowed and denied requests at /metrics', async () => {
    const before = await metrics(open);
    await viaProxy(open, receiver.url('/counted'));
    await connectVia(open, '192.168.1.1:443');
    await connectVia(open, '10.0.0.1:443');
    const after = await metrics(open);
    assert.equal(after.caravan_egress_allowed_total, before.caravan_egress_allowed_total + 1);
    assert.equal(
      after['caravan_egress_denied_total{cause="policy"}'],
      before['caravan_egress_denied_total{cause="policy"}'] + 2,
    );
    const guardedCounts = await metrics(guarded);
    assert.ok(guardedCounts['caravan_egress_denied_total{cause="auth"}'] >= 4);
  });

  it('logs one JSON line per decision', async () => {
    const lines = await waitFor('the decision lines of the CONNECT to 10.0.0.1', () => {
      const found = decisionLines(open).filter((line) => line.host === '10.0.0.1');
      return found.length >= 2 && found;
    });
    assert.deepEqual(
      { ...lines[0], time: undefined },
      {
        time: undefined,
        decision: 'denied',
        cause: 'policy',
        method: 'CONNECT',
        host: '10.0.0.1',
        address: '10.0.0.1',
        port: 443,
        reason: 'private address 10.0.0.1',
      },
    );
    const allowed = decisionLines(open).find(
      (line) => line.decision === 'allowed' && line.host === 'receiver.example.com',
    );
    assert.equal(allowed.address, '127.0.0.1');
    assert.match(allowed.reason, /^allow-listed address 127\.0\.0\.1 in 127\.0\.0\.0\/8$/);
  });

  it('never attempted a connection off loopback: denied destinations were refused before any connect', () => {
    for (const proxy of proxies()) {
      const attempts = attemptedConnections(proxy.output);
      assert.deepEqual(
        attempts.filter((attempt) => !attempt.host.startsWith('127.')),
        [],
        proxy.output,
      );
    }
    const made = attemptedConnections(open.output).map((attempt) => attempt.port);
    assert.ok(
      made.includes(echoPort) && made.includes(Number(new URL(receiver.url()).port)),
      'the guard does see the connects that were made',
    );
  });
});

describe('egress proxy process', { skip: STORAGE_INDEPENDENT }, () => {
  it('refuses to start with an invalid CIDR or port list, naming the variable', async () => {
    const { code, output } = await CaravanProcess.runToExit('egress', {
      ...networkGuardEnv(),
      CARAVAN_EGRESS_PORT: '0',
      CARAVAN_EGRESS_ALLOW_CIDRS: '10.0.0.0/33',
      CARAVAN_EGRESS_ALLOWED_PORTS: 'https',
    });
    assert.equal(code, 1);
    assert.match(output, /CARAVAN_EGRESS_ALLOW_CIDRS has an invalid CIDR "10\.0\.0\.0\/33"/);
    assert.match(output, /CARAVAN_EGRESS_ALLOWED_PORTS must be ports/);
  });

  it('finishes a request in flight on SIGTERM, then exits', async () => {
    const receiver = await Receiver.start();
    receiver.answer(() => ({ status: 200, body: 'late but complete', delayMs: 500 }));
    const proxy = await CaravanProcess.start('egress', {
      ...networkGuardEnv(),
      CARAVAN_ENV: 'test',
      CARAVAN_HOST: '127.0.0.1',
      CARAVAN_EGRESS_PORT: '0',
    });
    try {
      const inFlight = viaProxy(proxy, receiver.url('/slow'));
      await waitFor('the request to reach the receiver', () => receiver.requests.length === 1, 5_000, 20);
      const started = Date.now();
      await Promise.all([
        proxy.stop(),
        inFlight.then((answer) => assert.deepEqual([answer.status, answer.body], [200, 'late but complete'])),
      ]);
      assert.ok(Date.now() - started < 4_000, 'it did not wait for the whole grace period');
      assert.match(proxy.output, /Caravan egress proxy stopped/);
    } finally {
      await proxy.stop();
      await receiver.stop();
    }
  });
});
