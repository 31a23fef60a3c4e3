import { createServer, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { NO_LATENCIES, summarizeLatencies } from './latency-summary';
import {
  epochMs,
  ReceiverMessage,
  ReceiverRequest,
  ReceiverRunStats,
  RUN_HEADER,
  TIMESTAMP_HEADER,
} from './receiver-protocol';

/**
 * The webhook receiver, in its own process (forked by receiver.ts) so that its CPU does not share
 * the bench's event loop. Answers 200 at once and counts per run: deliveries, repeats, and the
 * latency from the timestamp header set at ingest to the moment the request's headers arrive.
 */

class RunCounters {
  requests = 0;
  repeatedAttempts = 0;
  retries = 0;
  firstAt = 0;
  lastAt = 0;
  readonly deliveries = new Set<string>();
  readonly attempts = new Set<string>();
  readonly latencies: number[] = [];

  stats(run: string): ReceiverRunStats {
    return {
      run,
      requests: this.requests,
      uniqueDeliveries: this.deliveries.size,
      duplicateRequests: this.requests - this.deliveries.size,
      repeatedAttempts: this.repeatedAttempts,
      retries: this.retries,
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      latency: this.latencies.length ? summarizeLatencies(this.latencies) : NO_LATENCIES,
    };
  }
}

const runs = new Map<string, RunCounters>();
const timestampHeader = TIMESTAMP_HEADER.toLowerCase();
const runHeader = RUN_HEADER.toLowerCase();

function header(request: IncomingMessage, name: string): string {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : (value ?? '');
}

function count(request: IncomingMessage, receivedAt: number): void {
  const run = header(request, runHeader) || 'untagged';
  let counters = runs.get(run);
  if (!counters) runs.set(run, (counters = new RunCounters()));
  counters.requests++;
  if (counters.firstAt === 0) counters.firstAt = receivedAt;
  counters.lastAt = receivedAt;

  const attempt = header(request, 'x-caravan-attempt');
  if (attempt !== '' && attempt !== '1') counters.retries++;
  const attemptKey = `${header(request, 'x-caravan-delivery-id')}#${attempt}`;
  if (counters.attempts.has(attemptKey)) counters.repeatedAttempts++;
  else counters.attempts.add(attemptKey);

  const delivery = `${header(request, 'x-caravan-event-id')}${request.url ?? ''}`;
  if (counters.deliveries.has(delivery)) return;
  counters.deliveries.add(delivery);
  const sentAt = Number(header(request, timestampHeader));
  if (sentAt > 0) counters.latencies.push(receivedAt - sentAt);
}

const server = createServer((request, response) => {
  count(request, epochMs());
  response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
  response.end('ok');
  request.resume();
});
// Longer than the clients' idle timeouts, so the server never closes a connection a client is reusing.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;

const send = (message: ReceiverMessage) => process.send?.(message);

process.on('message', (message: ReceiverRequest) => {
  if (message.type === 'stats') {
    send({
      type: 'stats',
      id: message.id,
      stats: (runs.get(message.run) ?? new RunCounters()).stats(message.run),
    });
  } else if (message.type === 'forget') {
    runs.delete(message.run);
  }
});
// The bench went away (finished, crashed or killed): nothing is left to receive for.
process.on('disconnect', () => process.exit(0));

server.listen(0, '127.0.0.1', () => send({ type: 'ready', port: (server.address() as AddressInfo).port }));
