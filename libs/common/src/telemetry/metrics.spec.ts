import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { caravanMetrics, metricsRegistry, ScrapedGauge } from './metrics';

describe('metrics', () => {
  it('renders counters with their labels in the Prometheus text format', async () => {
    caravanMetrics.eventsIngested.inc({ project_id: 'p1', source: 'api' });
    caravanMetrics.eventsIngested.inc({ project_id: 'p1', source: 'api' });
    caravanMetrics.deliveries.inc({ status: 'success' });
    const text = await metricsRegistry.metrics();
    assert.match(text, /^# TYPE caravan_events_ingested_total counter$/m);
    assert.match(text, /^caravan_events_ingested_total\{project_id="p1",source="api"\} 2$/m);
    assert.match(text, /^caravan_deliveries_total\{status="success"\} 1$/m);
  });

  it('samples a scraped gauge only when scraped, replacing the previous samples, and leaves it out when its store fails', async () => {
    const gauge = new ScrapedGauge('caravan_test_sampled', 'test', ['queue'] as const);
    let calls = 0;
    let samples = [{ labels: { queue: 'a' }, value: 3 }, { labels: { queue: 'b' }, value: 1 }];
    gauge.sampleWith(async () => {
      calls++;
      return samples;
    });
    assert.equal(calls, 0);
    assert.match(await metricsRegistry.metrics(), /^caravan_test_sampled\{queue="a"\} 3$/m);
    samples = [{ labels: { queue: 'b' }, value: 0 }];
    const second = await metricsRegistry.metrics();
    assert.doesNotMatch(second, /queue="a"/);
    assert.match(second, /^caravan_test_sampled\{queue="b"\} 0$/m);
    assert.equal(calls, 2);
    gauge.sampleWith(async () => Promise.reject(new Error('redis down')));
    assert.doesNotMatch(await metricsRegistry.metrics(), /^caravan_test_sampled\{/m);
  });
});
