import {
  Agent,
  createServer,
  IncomingMessage,
  request as httpRequest,
  Server,
  ServerResponse,
  STATUS_CODES,
} from 'node:http';
import { AddressInfo, connect, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { DestinationDecision, EgressGuard } from '@caravan/egress';
import { DenialCause, EgressMetrics } from './egress-metrics';
import { forwardedHeaders } from './forwarded-headers';
import { PROXY_AUTHENTICATE, ProxyAuthorization } from './proxy-authorization';

export interface EgressProxyOptions {
  guard: EgressGuard;
  authorization: ProxyAuthorization;
  metrics?: EgressMetrics;
  /** Where decision lines go; one JSON object per line. */
  log?: (line: string) => void;
  /** Lines for allowed requests can be turned off (CARAVAN_LOG_LEVEL=warn); denials are always logged. */
  logAllowed?: boolean;
  connectTimeoutMs?: number;
  /** A tunnel or forwarded request with no bytes either way for this long is closed. */
  idleTimeoutMs?: number;
}

export interface DecisionLine {
  decision: 'allowed' | 'denied';
  cause?: DenialCause;
  method: string;
  host: string;
  address: string | null;
  port: number | null;
  reason: string;
}

class RequestRefused {
  constructor(
    readonly status: number,
    readonly message: string,
  ) {}
}

/**
 * An HTTP forward proxy that only reaches destinations the egress policy allows: `CONNECT
 * host:port` tunnels (https) and absolute-URI requests (`GET http://host/path`, plain http). It
 * resolves each name itself, checks every address, and connects to the checked address, so a
 * second DNS answer can never send it elsewhere. Redirects from targets are passed back as they
 * are; following them is the client's business (and Caravan's agent does not).
 *
 * Other requests are its own: GET /health/live, /health/ready and /metrics.
 */
export class EgressProxyServer {
  readonly server: Server;
  readonly metrics: EgressMetrics;
  private readonly upstreamAgent: Agent;
  private readonly tunnels = new Set<Socket>();
  private forwarding = 0;
  private closing = false;

  constructor(private readonly options: EgressProxyOptions) {
    this.metrics = options.metrics ?? new EgressMetrics();
    // Pooled by address and port: a kept-alive connection always leads to an address that was checked.
    this.upstreamAgent = new Agent({ keepAlive: true, timeout: this.idleTimeoutMs });
    this.server = createServer((request, response) => void this.onRequest(request, response));
    // The socket of a CONNECT request is a net.Socket; Node types it as the Duplex it also is.
    this.server.on(
      'connect',
      (request: IncomingMessage, socket: Duplex, head: Buffer) =>
        void this.onConnect(request, socket as Socket, head),
    );
    // Protocol upgrades (WebSocket) are not proxied.
    this.server.on('upgrade', (_request: IncomingMessage, socket: Duplex) =>
      writeRawResponse(socket, 501, 'protocol upgrades are not proxied'),
    );
    this.server.on('clientError', (_error, socket: Duplex) => {
      if (socket.writable)
        socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      else socket.destroy();
    });
  }

  private get idleTimeoutMs(): number {
    return this.options.idleTimeoutMs ?? 5 * 60_000;
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting, lets requests and tunnels in flight finish for up to `graceMs`, then cuts them. */
  async close(graceMs: number): Promise<void> {
    this.closing = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const deadline = Date.now() + graceMs;
    while ((this.forwarding > 0 || this.tunnels.size > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const tunnel of this.tunnels) tunnel.destroy();
    this.server.closeAllConnections();
    this.upstreamAgent.destroy();
    await closed;
  }

  private async onRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.url?.startsWith('/')) return this.serveOwnRoute(request, response);
    this.forwarding++;
    response.once('close', () => this.forwarding--);
    try {
      this.authorize(request, request.method ?? 'GET');
      const target = absoluteTarget(request.url ?? '');
      const decision = await this.decide(request.method ?? 'GET', target.url.hostname, target.port);
      this.forward(request, response, target.url, target.port, decision.addresses[0]);
    } catch (error) {
      const refused = refusal(error);
      if (!response.headersSent)
        sendJson(
          response,
          refused.status,
          refused.message,
          refused.status === 407 ? { 'proxy-authenticate': PROXY_AUTHENTICATE } : {},
        );
    }
  }

  private async onConnect(request: IncomingMessage, client: Socket, head: Buffer): Promise<void> {
    client.on('error', () => client.destroy());
    try {
      this.authorize(request, 'CONNECT');
      const target = connectTarget(request.url ?? '');
      const decision = await this.decide('CONNECT', target.host, target.port);
      this.tunnel(client, head, decision.addresses[0], target.port);
    } catch (error) {
      const refused = refusal(error);
      writeRawResponse(
        client,
        refused.status,
        refused.message,
        refused.status === 407 ? { 'proxy-authenticate': PROXY_AUTHENTICATE } : {},
      );
    }
  }

  private authorize(request: IncomingMessage, method: string): void {
    if (this.options.authorization.accepts(request.headers['proxy-authorization'])) return;
    const reason = request.headers['proxy-authorization']
      ? 'wrong proxy credentials'
      : 'proxy credentials required';
    this.record({ decision: 'denied', cause: 'auth', method, host: '', address: null, port: null, reason });
    throw new RequestRefused(407, `${reason}: send Proxy-Authorization: Bearer <token>`);
  }

  /** Runs the policy; throws RequestRefused for a denied or unresolvable destination. */
  private async decide(method: string, host: string, port: number): Promise<DestinationDecision> {
    const decision = await this.options.guard.checkDestination(host, port);
    const address = decision.addresses[0] ?? null;
    if (decision.outcome === 'allowed') {
      this.record({
        decision: 'allowed',
        method,
        host: decision.host,
        address,
        port,
        reason: decision.reason,
      });
      return decision;
    }
    const cause = decision.outcome === 'unresolvable' ? 'unresolvable' : 'policy';
    this.record({
      decision: 'denied',
      cause,
      method,
      host: decision.host,
      address,
      port,
      reason: decision.reason,
    });
    throw new RequestRefused(cause === 'policy' ? 403 : 502, decision.reason);
  }

  private record(line: DecisionLine): void {
    if (line.decision === 'allowed') this.metrics.allowed++;
    else this.metrics.denied[line.cause!]++;
    if (line.decision === 'allowed' && this.options.logAllowed === false) return;
    (this.options.log ?? ((text) => process.stdout.write(`${text}\n`)))(
      JSON.stringify({ time: new Date().toISOString(), ...line }),
    );
  }

  private forward(
    request: IncomingMessage,
    response: ServerResponse,
    target: URL,
    port: number,
    address: string,
  ): void {
    const upstream = httpRequest({
      host: address,
      port,
      method: request.method,
      path: `${target.pathname}${target.search}`,
      headers: forwardedHeaders(request.rawHeaders, target.host),
      agent: this.upstreamAgent,
    });
    this.limitConnectTime(upstream);
    upstream.setTimeout(this.idleTimeoutMs, () =>
      upstream.destroy(new Error('the target sent nothing for too long')),
    );
    upstream.on('response', (answer) => {
      try {
        response.writeHead(
          answer.statusCode ?? 502,
          answer.statusMessage,
          forwardedHeaders(answer.rawHeaders),
        );
      } catch (error) {
        // Node refuses to send some things it can receive (e.g. a control character in the status text).
        return upstream.destroy(error as Error);
      }
      answer.pipe(response);
      answer.on('error', () => response.destroy());
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      this.metrics.upstreamErrors++;
      if (response.headersSent) response.destroy();
      else
        sendJson(response, 502, `cannot reach ${target.host} at ${address}: ${error.code ?? error.message}`);
    });
    // A client that goes away takes its upstream request with it.
    response.once('close', () => {
      if (!response.writableFinished) upstream.destroy();
    });
    request.pipe(upstream);
  }

  private limitConnectTime(upstream: ReturnType<typeof httpRequest>): void {
    upstream.once('socket', (socket: Socket) => {
      if (!socket.connecting) return;
      const timer = setTimeout(
        () => upstream.destroy(new Error('connect timed out')),
        this.options.connectTimeoutMs ?? 10_000,
      );
      socket.once('connect', () => clearTimeout(timer));
      socket.once('close', () => clearTimeout(timer));
    });
  }

  private tunnel(client: Socket, head: Buffer, address: string, port: number): void {
    const upstream = connect({ host: address, port });
    this.tunnels.add(client);
    this.metrics.openTunnels++;
    let established = false;
    const timer = setTimeout(
      () => upstream.destroy(new Error('connect timed out')),
      this.options.connectTimeoutMs ?? 10_000,
    );
    const finish = () => {
      clearTimeout(timer);
      if (!this.tunnels.delete(client)) return;
      this.metrics.openTunnels--;
      upstream.destroy();
      client.destroy();
    };
    upstream.once('connect', () => {
      clearTimeout(timer);
      established = true;
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      for (const socket of [upstream, client]) socket.setTimeout(this.idleTimeoutMs, finish);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      this.metrics.upstreamErrors++;
      if (!established)
        writeRawResponse(client, 502, `cannot reach ${address} port ${port}: ${error.code ?? error.message}`);
      finish();
    });
    upstream.on('close', finish);
    client.on('close', finish);
  }

  private serveOwnRoute(request: IncomingMessage, response: ServerResponse): void {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return sendJson(response, 405, `${request.method} is not allowed here`);
    if (path === '/health/live')
      return sendBody(response, 200, 'application/json', JSON.stringify({ status: 'ok' }));
    if (path === '/health/ready') {
      if (this.closing)
        return sendBody(response, 503, 'application/json', JSON.stringify({ status: 'shutting down' }));
      return sendBody(response, 200, 'application/json', JSON.stringify({ status: 'ok' }));
    }
    if (path === '/metrics')
      return sendBody(response, 200, 'text/plain; version=0.0.4; charset=utf-8', this.metrics.render());
    sendJson(
      response,
      404,
      `no route ${path}; this is a forward proxy: send absolute-URI requests or CONNECT`,
    );
  }
}

/** A RequestRefused as it is; anything else is a bug, logged and answered 500. */
function refusal(error: unknown): RequestRefused {
  if (error instanceof RequestRefused) return error;
  console.error(error);
  return new RequestRefused(500, 'internal error in the egress proxy');
}

function absoluteTarget(url: string): { url: URL; port: number } {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new RequestRefused(400, 'the request target must be an absolute http:// URL');
  }
  if (target.protocol !== 'http:')
    throw new RequestRefused(
      400,
      `only http:// URLs are forwarded as they are; use CONNECT for ${target.protocol}//`,
    );
  // URL.hostname keeps the brackets of an IPv6 address; the policy reads either spelling.
  return { url: target, port: target.port ? Number(target.port) : 80 };
}

function connectTarget(authority: string): { host: string; port: number } {
  const match = /^\[([^\]]+)\]:(\d{1,5})$/.exec(authority) ?? /^([^:[\]]+):(\d{1,5})$/.exec(authority);
  if (!match) throw new RequestRefused(400, 'CONNECT needs host:port');
  return { host: match[1], port: Number(match[2]) };
}

function errorBody(status: number, message: string): string {
  return JSON.stringify({ status, error: STATUS_CODES[status], message });
}

function sendJson(
  response: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string | string[]> = {},
): void {
  sendBody(response, status, 'application/json', errorBody(status, message), headers);
}

function sendBody(
  response: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Record<string, string | string[]> = {},
): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  response.end(body);
}

/** An answer on a raw socket (CONNECT and upgrade requests have no ServerResponse), then close. */
function writeRawResponse(
  socket: Duplex,
  status: number,
  message: string,
  headers: Record<string, string[]> = {},
): void {
  if (!socket.writable) return void socket.destroy();
  const body = errorBody(status, message);
  const extra = Object.entries(headers).flatMap(([name, values]) =>
    values.map((value) => `${name}: ${value}\r\n`),
  );
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n${extra.join('')}\r\n${body}`,
  );
}
