import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { SignatureOptions, verifyWebhook } from '@caravan/signatures';

export interface ReceivedWebhook {
  eventType: string;
  attempt: number;
  /** Why the signature failed, or null when it verified. */
  signatureProblem: string | null;
  /** What the receiver answered. */
  status: number;
}

/** Decides the answer to a webhook whose signature verified; the demo uses it to fail a first try. */
export type ReplyPolicy = (eventType: string, attempt: number) => number;

/**
 * A webhook receiver on loopback that does what a real one should: verify the signature over the
 * raw body before trusting anything, and answer 401 when it does not match.
 */
export class EchoReceiver {
  readonly received: ReceivedWebhook[] = [];
  private signing: { secret: string; options: SignatureOptions } | null = null;
  private replyPolicy: ReplyPolicy = () => 200;
  private onWebhook: (webhook: ReceivedWebhook) => void = () => undefined;
  private readonly server: Server;

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const webhook = this.handle(request.headers, Buffer.concat(chunks));
        this.received.push(webhook);
        this.onWebhook(webhook);
        response.writeHead(webhook.status, { 'content-type': 'text/plain' });
        response.end(webhook.status < 300 ? 'ok' : 'try again later');
      });
    });
  }

  static async start(): Promise<EchoReceiver> {
    const receiver = new EchoReceiver();
    await new Promise<void>((resolve, reject) => {
      receiver.server.once('error', reject);
      receiver.server.listen(0, '127.0.0.1', resolve);
    });
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/webhooks`;
  }

  /** The endpoint secret and the project's signature settings: known only once both are created. */
  verifyWith(secret: string, options: SignatureOptions): void {
    this.signing = { secret, options };
  }

  answer(policy: ReplyPolicy): void {
    this.replyPolicy = policy;
  }

  onEachWebhook(listener: (webhook: ReceivedWebhook) => void): void {
    this.onWebhook = listener;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(headers: IncomingHttpHeaders, body: Buffer): ReceivedWebhook {
    const eventType = String(headers['x-caravan-event-type'] ?? '?');
    const attempt = Number(headers['x-caravan-attempt'] ?? 0);
    const signatureProblem = this.checkSignature(headers, body);
    const status = signatureProblem ? 401 : this.replyPolicy(eventType, attempt);
    return { eventType, attempt, signatureProblem, status };
  }

  private checkSignature(headers: IncomingHttpHeaders, body: Buffer): string | null {
    if (!this.signing) return 'no secret to verify with yet';
    try {
      const verified = verifyWebhook({ ...this.signing.options, secret: this.signing.secret, body, headers });
      return verified.ok ? null : verified.reason;
    } catch (error) {
      // verifyWebhook throws on settings no request can cause; still a failed check, not a crash.
      return error instanceof Error ? error.message : String(error);
    }
  }
}
