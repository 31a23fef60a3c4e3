/** One sample of a Prometheus text exposition: `name{label="value",...} number`. */
export interface MetricSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** What GET /metrics answered, with a way to read one series (or the sum of the series matching some labels). */
export class MetricsScrape {
  constructor(
    readonly text: string,
    readonly samples: MetricSample[],
  ) {}

  static async of(baseUrl: string): Promise<MetricsScrape> {
    const response = await fetch(`${baseUrl}/metrics`);
    if (response.status !== 200) throw new Error(`GET /metrics answered ${response.status}`);
    const text = await response.text();
    return new MetricsScrape(text, parseSamples(text));
  }

  /** The sum of every sample of `name` whose labels include `labels`; 0 when none (a labelled counter not yet incremented). */
  value(name: string, labels: Record<string, string> = {}): number {
    return this.samples
      .filter((s) => s.name === name && Object.entries(labels).every(([key, value]) => s.labels[key] === value))
      .reduce((sum, s) => sum + s.value, 0);
  }
}

function parseSamples(text: string): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key] = value;
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}
