import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { createHash } from 'node:crypto';
import { Agent, errors, request } from 'undici';
import type { ClientCertificate } from '@caravan/endpoints';
import type { OutgoingRequest } from '../delivery-request';

const MAX_CERTIFICATE_AGENTS = 256;

export type SendResult =
  | { kind: 'response'; statusCode: number; headers: Record<string, string>; body: string; durationMs: number }
  | { kind: 'error'; error: string; durationMs: number };

/**
 * Sends delivery requests over one shared connection pool. Redirects are never followed
 * (undici's request does not follow them), so a 3xx is a failed attempt like any non-2xx.
 */
@Injectable()
export class HttpSender implements OnModuleDestroy {
  private readonly agent = new Agent({
    keepAliveTimeout: 10_000,
    connections: 128,
    connect: { timeout: 10_000 },
  });

  // Endpoints with a client certificate (mTLS) get a pool of their own, kept while in use.
  private readonly certificateAgents = new Map<string, Agent>();

  async send(
    outgoing: OutgoingRequest,
    timeoutMs: number,
    bodyLimitBytes: number,
    clientCertificate: ClientCertificate | null = null,
  ): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await request(outgoing.url, {
        dispatcher: clientCertificate ? this.agentWith(clientCertificate) : this.agent,
        method: outgoing.method,
        headers: outgoing.headers,
        body: outgoing.body,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = await readCapped(response.body, bodyLimitBytes);
      return { kind: 'response', statusCode: response.statusCode, headers: flatten(response.headers), body, durationMs: elapsed() };
    } catch (error) {
      return { kind: 'error', error: describe(error, timeoutMs), durationMs: elapsed() };
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.agent.close(), ...[...this.certificateAgents.values()].map((agent) => agent.close())]);
  }

  private agentWith(certificate: ClientCertificate): Agent {
    const key = createHash('sha256').update(certificate.cert).update(certificate.key).digest('hex');
    let agent = this.certificateAgents.get(key);
    if (agent) {
      this.certificateAgents.delete(key); // re-insert: the map's order is least recently used first
    } else {
      agent = new Agent({ keepAliveTimeout: 10_000, connections: 16, connect: { timeout: 10_000, cert: certificate.cert, key: certificate.key } });
      if (this.certificateAgents.size >= MAX_CERTIFICATE_AGENTS) {
        const [oldestKey, oldest] = this.certificateAgents.entries().next().value!;
        this.certificateAgents.delete(oldestKey);
        void oldest.close();
      }
    }
    this.certificateAgents.set(key, agent);
    return agent;
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(): void }, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= limit) {
      body.destroy();
      break;
    }
  }
  return storableText(Buffer.concat(chunks).subarray(0, limit).toString('utf8'));
}

/** Postgres text cannot hold NUL; a receiver's answer must never stop its attempt from being recorded. */
function storableText(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '\uFFFD') : text;
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = storableText(Array.isArray(value) ? value.join(', ') : value);
  }
  return flat;
}

function describe(error: unknown, timeoutMs: number): string {
  if (
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    error instanceof errors.ConnectTimeoutError ||
    (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
  ) {
    return `timeout: no response within ${timeoutMs / 1000}s`;
  }
  const code = (error as { code?: string; cause?: { code?: string } }).code ?? (error as { cause?: { code?: string } }).cause?.code;
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${message} (${code})` : message;
}
