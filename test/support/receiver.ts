import { AddressInfo } from 'node:net';
import { createServer, IncomingHttpHeaders, Server } from 'node:http';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

export interface ReceiverReply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  delayMs?: number;
}

/** A real HTTP endpoint on loopback that records every request and answers as told. */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  private server: Server;
  private reply: (request: ReceivedRequest, index: number) => ReceiverReply = () => ({ status: 200, body: 'ok' });

  static async start(): Promise<Receiver> {
    const receiver = new Receiver();
    await new Promise<void>((resolve) => receiver.server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const received: ReceivedRequest = {
          method: request.method ?? '',
          path: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          receivedAt: Date.now(),
        };
        const index = this.requests.push(received) - 1;
        const reply = this.reply(received, index);
        const send = () => {
          response.writeHead(reply.status, reply.headers);
          response.end(reply.body ?? '');
        };
        if (reply.delayMs) setTimeout(send, reply.delayMs);
        else send();
      });
    });
  }

  url(path = '/hook'): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${path}`;
  }

  /** `reply(request, index)` decides each answer; index counts every request this receiver got. */
  answer(reply: (request: ReceivedRequest, index: number) => ReceiverReply): void {
    this.reply = reply;
  }

  requestsFor(path: string): ReceivedRequest[] {
    return this.requests.filter((request) => request.path === path);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
