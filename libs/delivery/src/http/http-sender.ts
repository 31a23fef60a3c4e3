import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import type { ClientCertificate } from '@caravan/endpoints';
import { EgressBlockedError, EgressGuard } from '@caravan/egress';
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Dispatcher, errors, request } from 'undici';
import type { OutgoingRequest } from '../delivery-request';
import { createDeliveryDispatcher } from './egress-dispatcher';

const MAX_CERTIFICATE_POOLS = 256;

export type SendResult =
  | { kind: 'response'; statusCode: number; headers: Record<string, string>; body: string; durationMs: number }
  /** `blocked`: the egress policy refused the destination; trying again cannot help. */
  | { kind: 'error'; error: string; durationMs: number; blocked: boolean };

/**
 * Sends delivery requests over shared connection pools, through the egress policy (in process,
 * or via the egress proxy). Redirects are never followed (undici's request does not follow
 * them), so a 3xx is a failed attempt like any non-2xx.
 */
@Injectable()
export class HttpSender implements OnModuleDestroy {
  private readonly shared: Dispatcher;
  // Endpoints with a client certificate (mTLS) get a pool of their own, least recently used first.
  private readonly certificatePools = new Map<string, Dispatcher>();

  constructor(
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
    private readonly guard: EgressGuard,
  ) {
    this.shared = createDeliveryDispatcher(config, guard, null);
  }

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
        dispatcher: clientCertificate ? this.poolFor(clientCertificate) : this.shared,
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
      const blocked = blockedReason(error);
      return { kind: 'error', error: blocked ?? describe(error, timeoutMs), durationMs: elapsed(), blocked: blocked !== null };
    }
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all([this.shared.close(), ...[...this.certificatePools.values()].map((pool) => pool.close())]);
  }

  private poolFor(certificate: ClientCertificate): Dispatcher {
    const key = createHash('sha256').update(certificate.cert).update(certificate.key).digest('hex');
    let pool = this.certificatePools.get(key);
    if (pool) {
      this.certificatePools.delete(key); // re-inserted below: most recently used last
    } else {
      pool = createDeliveryDispatcher(this.config, this.guard, certificate);
      if (this.certificatePools.size >= MAX_CERTIFICATE_POOLS) {
        const [oldestKey, oldest] = this.certificatePools.entries().next().value!;
        this.certificatePools.delete(oldestKey);
        void oldest.close();
      }
    }
    this.certificatePools.set(key, pool);
    return pool;
  }
}

/** The refusal, from the in-process guard or from the egress proxy (403 to CONNECT); null otherwise. */
function blockedReason(error: unknown): string | null {
  for (let current = error as { cause?: unknown; message?: string } | undefined; current; current = current.cause as typeof current) {
    if (current instanceof EgressBlockedError) return current.message;
    if (typeof current.message === 'string' && /Proxy response \(403\)/.test(current.message)) {
      return 'blocked by egress policy: the egress proxy refused the destination (see its log for the reason)';
    }
  }
  return null;
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
