/** Percentiles of a set of latencies, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
  mean: number;
}

export const NO_LATENCIES: LatencySummary = { count: 0, p50: NaN, p99: NaN, max: NaN, mean: NaN };

/** Nearest-rank percentiles; sorts a copy, so the caller's samples keep their order. */
export function summarizeLatencies(samples: ArrayLike<number>): LatencySummary {
  if (samples.length === 0) return NO_LATENCIES;
  const sorted = Float64Array.from(samples).sort();
  const rank = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  let sum = 0;
  for (const value of sorted) sum += value;
  return {
    count: sorted.length,
    p50: rank(50),
    p99: rank(99),
    max: sorted[sorted.length - 1],
    mean: sum / sorted.length,
  };
}
