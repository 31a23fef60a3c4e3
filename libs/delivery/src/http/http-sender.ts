import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Agent, errors, request } from 'undici';
import type { OutgoingRequest } from '../delivery-request';

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

  async send(outgoing: OutgoingRequest, timeoutMs: number, bodyLimitBytes: number): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await request(outgoing.url, {
        dispatcher: this.agent,
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
    await this.agent.close();
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
