import { randomUUID } from 'node:crypto';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { SqsConsumer, type SqsConsumerOptions } from '../sqs-consumer';
import type { BrokerHarness } from './broker-contract';

type Fauxqs = typeof import('fauxqs');
export type FauxqsServer = Awaited<ReturnType<Fauxqs['startFauxqs']>>;

// fauxqs ships as an ES module only; TypeScript compiles `import()` to `require()` for CommonJS output,
// which that package's exports refuse, so the import is made at run time instead.
const importModule = new Function('specifier', 'return import(specifier)') as (
  specifier: string,
) => Promise<unknown>;

export const TEST_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };
export const TEST_REGION = 'us-east-1';

/** A real SQS-compatible server (fauxqs) in this process, on a free port. */
export async function startSqsServer(): Promise<{ server: FauxqsServer; endpoint: string }> {
  const { startFauxqs } = (await importModule('fauxqs')) as Fauxqs;
  const server = await startFauxqs({ port: 0, logger: false });
  return { server, endpoint: `http://127.0.0.1:${server.port}` };
}

export function sqsClient(endpoint: string): SQSClient {
  return new SQSClient({ endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
}

/** A queue of its own per test. Visibility is long (30 s) so that a quick redelivery proves the backoff did it. */
export function sqsHarness(
  server: FauxqsServer,
  endpoint: string,
  overrides: Partial<SqsConsumerOptions> = {},
): () => Promise<BrokerHarness & { queueUrl: string; client: SQSClient }> {
  return async () => {
    const queueName = `caravan-contract-${randomUUID()}`;
    const { queueUrl } = server.createQueue(queueName);
    const client = sqsClient(endpoint);
    return {
      queueUrl,
      client,
      createConsumer: ({ workers, listener, backoff }) =>
        new SqsConsumer({
          queueUrl,
          endpoint,
          region: TEST_REGION,
          credentials: TEST_CREDENTIALS,
          workers,
          waitTimeSeconds: 1,
          visibilityTimeoutSeconds: 30,
          backoff,
          listener,
          ...overrides,
        }),
      async publish(messages) {
        for (let start = 0; start < messages.length; start += 10) {
          const batch = messages.slice(start, start + 10);
          const sent = await client.send(
            new SendMessageBatchCommand({
              QueueUrl: queueUrl,
              Entries: batch.map((message, index) => ({
                Id: String(index),
                MessageBody: message.body,
                MessageAttributes: Object.fromEntries(
                  Object.entries(message.attributes ?? {}).map(([name, value]) => [
                    name,
                    { DataType: 'String', StringValue: value },
                  ]),
                ),
              })),
            }),
          );
          if (sent.Failed?.length) throw new Error(`SendMessageBatch failed: ${JSON.stringify(sent.Failed)}`);
        }
      },
      async unacknowledged() {
        const queue = server.inspectQueue(queueName);
        if (!queue) throw new Error(`queue ${queueName} is gone`);
        return queue.messages.ready.length + queue.messages.delayed.length + queue.messages.inflight.length;
      },
      async dispose() {
        client.destroy();
        server.deleteQueue(queueName);
      },
    };
  };
}
