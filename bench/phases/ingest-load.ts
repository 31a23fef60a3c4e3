import autocannon from 'autocannon';
import { LatencySummary, summarizeLatencies } from '../latency-summary';

export interface IngestLoadOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections; full load (each connection back to back) when absent. */
  overallRate?: number;
}

export interface IngestLoadResult {
  /** Answers 202 per second over the run. */
  acceptedPerSecond: number;
  accepted: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
  durationSeconds: number;
  /** Of the 2xx answers, from autocannon's own per-response times (its histogram rounds to whole ms). */
  latency: LatencySummary;
}

/** Runs autocannon against an ingest route with one fixed body. */
export async function runIngestLoad(options: IngestLoadOptions): Promise<IngestLoadResult> {
  const latencies: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: options.body,
        connections: options.connections,
        duration: options.durationSeconds,
        overallRate: options.overallRate,
        // Raw answer times: autocannon's correction for rate-limited runs would add samples of its own.
        ignoreCoordinatedOmission: options.overallRate !== undefined,
        timeout: 30,
      },
      (error: unknown, result: autocannon.Result) => (error ? reject(error as Error) : resolve(result)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statusCodes[code] = stat.count ?? 0;
  return {
    acceptedPerSecond: result['2xx'] / result.duration,
    accepted: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
    statusCodes,
    durationSeconds: result.duration,
    latency: summarizeLatencies(latencies),
  };
}
