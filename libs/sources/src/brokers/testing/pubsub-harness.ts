import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { PubSub, v1 } from '@google-cloud/pubsub';
import { brokerTestServers, childEnvironment } from '@caravan/common';
import { pubSubClientConfig, PubSubConsumer } from '../pubsub-consumer';
import type { BrokerHarness } from './broker-contract';
import { FakePubSub } from './fake-pubsub';

export const EMULATOR_PROJECT = 'caravan-test';

/** A subscription of its own per test on a fake Pub/Sub. */
export function fakePubSubHarness(): () => Promise<
  BrokerHarness & { pubsub: FakePubSub; subscription: string }
> {
  return async () => {
    const pubsub = new FakePubSub();
    const subscription = `contract-${randomUUID()}`;
    pubsub.createSubscription(subscription);
    return {
      pubsub,
      subscription,
      createConsumer: ({ workers, listener, backoff }) =>
        new PubSubConsumer({ projectId: EMULATOR_PROJECT, subscription, workers, listener, backoff }, () =>
          pubsub.client(),
        ),
      publish: async (messages) =>
        pubsub.publish(
          subscription,
          messages.map((message) => ({ data: Buffer.from(message.body), attributes: message.attributes })),
        ),
      unacknowledged: async () => pubsub.unacknowledged(subscription),
      protocolViolations: () => pubsub.violations,
      dispose: async () => undefined,
    };
  };
}

export type PubSubEmulator = { host: string; stop(): Promise<void> } | { unavailable: string };

/**
 * The Pub/Sub emulator to test against: the one PUBSUB_EMULATOR_HOST names, else one started with gcloud on
 * a free loopback port, else a reason why there is none.
 */
export async function startPubSubEmulator(): Promise<PubSubEmulator> {
  const { pubsubEmulatorHost } = brokerTestServers();
  if (pubsubEmulatorHost) return { host: pubsubEmulatorHost, stop: async () => undefined };

  const port = await freePort();
  const output: string[] = [];
  // Its own process group: gcloud starts a Java server that outlives a stopped gcloud, and the group
  // lets stop() end both by the id of the process started here.
  const child = spawn(
    'gcloud',
    [
      'beta',
      'emulators',
      'pubsub',
      'start',
      `--project=${EMULATOR_PROJECT}`,
      `--host-port=127.0.0.1:${port}`,
    ],
    {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnvironment({ CLOUDSDK_CORE_DISABLE_PROMPTS: '1' }),
    },
  );
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error: NodeJS.ErrnoException) =>
      resolve(error.code === 'ENOENT' ? 'gcloud is not on PATH' : `gcloud could not start: ${error.message}`),
    );
    child.once('exit', (code) =>
      resolve(`the emulator exited (code ${code}): ${output.join('').slice(-500)}`),
    );
  });
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));

  const host = `127.0.0.1:${port}`;
  const ready = waitForEmulator(host, 60_000);
  const first = await Promise.race([ready.then(() => null), exited]);
  if (first !== null || !(await ready)) {
    await stopGroup(child);
    return {
      unavailable:
        first ?? `the emulator did not answer on ${host} within 60 s: ${output.join('').slice(-500)}`,
    };
  }
  return { host, stop: () => stopGroup(child) };
}

async function waitForEmulator(host: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const answered = await fetch(`http://${host}/`).then(
      (response) => response.ok,
      () => false,
    );
    if (answered) return true;
    await sleep(250);
  }
  return false;
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group is gone already.
    }
  };
  signalGroup('SIGTERM');
  await Promise.race([exited, sleep(5000)]);
  // The Java server may outlive gcloud; end whatever is left of the group.
  signalGroup('SIGKILL');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== 'object' || address === null) throw new Error('no free port');
  return address.port;
}

/** A topic and subscription of their own per test on the emulator. */
export function emulatorPubSubHarness(host: string): () => Promise<BrokerHarness> {
  return async () => {
    const pubsub = new PubSub(pubSubClientConfig({ projectId: EMULATOR_PROJECT, apiEndpoint: host }));
    const id = randomUUID();
    const [topic] = await pubsub.createTopic(`contract-${id}`);
    const [subscription] = await topic.createSubscription(`contract-${id}`, { ackDeadlineSeconds: 10 });
    // A synchronous pull, to count what the emulator would still deliver, with the emulator settings PubSub worked out.
    const config = await pubsub.getClientConfig();
    const puller = new v1.SubscriberClient({
      ...config,
      port: config.port === undefined ? undefined : Number(config.port),
    });
    return {
      createConsumer: ({ workers, listener, backoff }) =>
        new PubSubConsumer({
          projectId: EMULATOR_PROJECT,
          subscription: `contract-${id}`,
          apiEndpoint: host,
          workers,
          listener,
          backoff,
        }),
      async publish(messages) {
        for (const message of messages)
          await topic.publishMessage({ data: Buffer.from(message.body), attributes: message.attributes });
      },
      async unacknowledged() {
        const [pulled] = await puller.pull({
          subscription: subscription.name,
          maxMessages: 100,
          returnImmediately: true,
        });
        return pulled.receivedMessages?.length ?? 0;
      },
      async dispose() {
        await subscription.delete().catch(() => undefined);
        await topic.delete().catch(() => undefined);
        await puller.close();
        await pubsub.close();
      },
    };
  };
}
