import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { pubSubClientConfig, PubSubConsumer } from './pubsub-consumer';
import { brokerContract } from './testing/broker-contract';
import { emulatorPubSubHarness, fakePubSubHarness, startPubSubEmulator } from './testing/pubsub-harness';
import { RecordingSink, waitUntil } from './testing/recording-sink';

describe('PubSubConsumer against a fake pubsub', () => {
  brokerContract('PubSubConsumer', fakePubSubHarness(), { timeoutMs: 15_000 });

  it('asks the client library for flow control of `workers` messages, without excess', async () => {
    const harness = await fakePubSubHarness()();
    const consumer = harness.createConsumer({
      workers: 7,
      listener: {},
      backoff: { initialDelayMs: 10, maxDelayMs: 10 },
    });
    await consumer.start({ persist: async () => 'stored' });
    await consumer.stop();
    assert.deepEqual(harness.pubsub.subscriptionOptions[0].flowControl, {
      maxMessages: 7,
      allowExcessMessages: false,
    });
  });

  it('nacks a message whose persist() threw only after the backoff delay', async () => {
    const harness = await fakePubSubHarness()();
    const sink = new RecordingSink();
    sink.failTimes('k-1', 1);
    await harness.publish([{ body: '{"n":1}', attributes: { event_type: 'a', idempotency_key: 'k-1' } }]);
    const consumer = harness.createConsumer({
      workers: 1,
      listener: sink.listener,
      backoff: { initialDelayMs: 300, maxDelayMs: 300 },
    });
    await consumer.start(sink);
    await waitUntil('the first persist threw', () => sink.events('persist-threw').length === 1);
    const failedAt = Date.now();
    await waitUntil('the message is stored', () => sink.stored.size === 1);
    await consumer.stop();
    assert.ok(Date.now() - failedAt >= 250, 'redelivered after the 300 ms backoff');
  });

  it('nacks a failed message at once when stopped during its backoff, so stop() does not wait it out', async () => {
    const harness = await fakePubSubHarness()();
    const sink = new RecordingSink();
    sink.failTimes('k-1', 1);
    await harness.publish([{ body: '{"n":1}', attributes: { event_type: 'a', idempotency_key: 'k-1' } }]);
    const consumer = harness.createConsumer({
      workers: 1,
      listener: sink.listener,
      backoff: { initialDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    await consumer.start(sink);
    await waitUntil('the first persist threw', () => sink.events('persist-threw').length === 1);
    const stoppingAt = Date.now();
    await consumer.stop();
    assert.ok(Date.now() - stoppingAt < 2000);
    assert.equal(await harness.unacknowledged(), 1);
    assert.deepEqual(harness.pubsub.violations, []);
  });

  it('runs in emulator mode, without looking for Google credentials, for an endpoint outside googleapis.com', () => {
    assert.deepEqual(pubSubClientConfig({ projectId: 'p', apiEndpoint: '127.0.0.1:8085' }), {
      projectId: 'p',
      credentials: undefined,
      apiEndpoint: '127.0.0.1:8085',
      emulatorMode: true,
      universeDomain: 'googleapis.com',
    });
    assert.equal(
      pubSubClientConfig({ projectId: 'p', apiEndpoint: 'us-east1-pubsub.googleapis.com:443' }).emulatorMode,
      undefined,
    );
    assert.equal(pubSubClientConfig({ projectId: 'p' }).emulatorMode, undefined);
  });

  it('refuses more than 1000 workers', () => {
    assert.throws(
      () => new PubSubConsumer({ projectId: 'p', subscription: 's', workers: 1001 }),
      /workers must be an integer from 1 to 1000/,
    );
  });
});

describe('PubSubConsumer against the Pub/Sub emulator', async () => {
  const emulator = await startPubSubEmulator();
  if ('unavailable' in emulator) {
    it(
      'runs the broker contract against the emulator',
      {
        skip: `no Pub/Sub emulator: ${emulator.unavailable} (set PUBSUB_EMULATOR_HOST or put gcloud on PATH)`,
      },
      () => undefined,
    );
    return;
  }
  after(() => emulator.stop());
  brokerContract('PubSubConsumer', emulatorPubSubHarness(emulator.host), { timeoutMs: 60_000 });
});
