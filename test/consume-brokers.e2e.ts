import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createEndpoint, deliveriesOf } from './support/fixtures';
import { Receiver } from './support/receiver';
import { TestCaravan, TestProject } from './support/test-caravan';
import { waitFor } from './support/wait-for';
import { FauxqsServer, sqsClient, startSqsServer, TEST_CREDENTIALS, TEST_REGION } from '../libs/sources/src/brokers/testing/sqs-test-server';

describe('broker sources consumed by the agent (a real SQS-compatible server, fauxqs)', () => {
  let caravan: TestCaravan;
  let receiver: Receiver;
  let project: TestProject;
  let sqs: { server: FauxqsServer; endpoint: string };
  let client: SQSClient;

  before(async () => {
    sqs = await startSqsServer();
    client = sqsClient(sqs.endpoint);
    caravan = await TestCaravan.create();
    receiver = await Receiver.start();
    await caravan.startApi();
    await caravan.startAgent();
    project = await caravan.createProject();
  });

  after(async () => {
    await caravan?.destroy();
    await receiver?.stop();
    client?.destroy();
    await sqs?.server.stop();
  });

  async function queue(name: string): Promise<string> {
    return (await client.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  }

  async function waiting(queueUrl: string): Promise<number> {
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
    );
    return Number(Attributes!.ApproximateNumberOfMessages) + Number(Attributes!.ApproximateNumberOfMessagesNotVisible);
  }

  it('turns queue messages into delivered events once a source is added, records poison, and stops when it is deleted', async () => {
    const queueUrl = await queue(`orders-${Date.now()}`);
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/from-sqs') });
    const created = await project.client.post(`/api/v1/projects/${project.id}/sources`, {
      name: 'orders queue',
      type: 'sqs',
      broker: {
        workers: 2,
        sqs: { queue_url: queueUrl, region: TEST_REGION, endpoint: sqs.endpoint, access_key_id: TEST_CREDENTIALS.accessKeyId, secret_access_key: TEST_CREDENTIALS.secretAccessKey },
      },
      mapping: { event_type_path: 'type' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const source = created.body;
    const subscription = await project.client.post(`/api/v1/projects/${project.id}/subscriptions`, {
      endpoint_id: endpoint.id,
      source_id: source.id,
      event_types: ['order.*'],
    });
    assert.equal(subscription.status, 201, JSON.stringify(subscription.body));

    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ type: 'order.placed', id: 1 }) }));
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'not json at all' }));

    await waitFor('the queued event to be delivered', () => receiver.requestsFor('/from-sqs').length === 1, 20_000);
    assert.deepEqual(JSON.parse(receiver.requestsFor('/from-sqs')[0].body), { type: 'order.placed', id: 1 });
    const { rows } = await caravan.db.query(`SELECT id, source_id, event_type FROM events WHERE project_id = $1`, [project.id]);
    assert.deepEqual(rows.map((r: any) => [r.source_id, r.event_type]), [[source.id, 'order.placed']]);
    const [delivery] = await deliveriesOf(project.client, project.id, rows[0].id);
    assert.equal(delivery.endpoint_id, endpoint.id);

    const errors = await waitFor('the poison message to be recorded', async () => {
      const listed = await project.client.get(`/api/v1/projects/${project.id}/sources/${source.id}/ingest-errors`);
      return listed.body.data.length === 1 && listed.body.data;
    });
    assert.equal(errors[0].payload, 'not json at all');
    await waitFor('both messages to be acknowledged (deleted from the queue)', async () => (await waiting(queueUrl)) === 0, 10_000);

    assert.equal((await project.client.delete(`/api/v1/projects/${project.id}/sources/${source.id}`)).status, 204);
    // Give the agent a few refreshes (0.5 s each) to stop the consumer, then the queue keeps what arrives.
    const deletedAt = Date.now();
    await waitFor('a few refreshes', () => Date.now() - deletedAt > 2000);
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ type: 'order.late' }) }));
    const sentAt = Date.now();
    await waitFor('more refreshes', () => Date.now() - sentAt > 2000);
    assert.equal(await waiting(queueUrl), 1, 'a deleted source is no longer consumed');
  });

  it('loses no message when the agent is killed between receiving it and storing the event', async () => {
    const queueUrl = await queue(`killed-${Date.now()}`);
    const endpoint = await createEndpoint(project.client, project.id, { url: receiver.url('/after-kill') });
    const source = (
      await project.client.post(`/api/v1/projects/${project.id}/sources`, {
        name: 'kill test',
        type: 'sqs',
        broker: {
          workers: 1,
          sqs: { queue_url: queueUrl, region: TEST_REGION, endpoint: sqs.endpoint, access_key_id: TEST_CREDENTIALS.accessKeyId, secret_access_key: TEST_CREDENTIALS.secretAccessKey },
        },
        mapping: { event_type_path: 'type' },
      })
    ).body;
    await project.client.post(`/api/v1/projects/${project.id}/subscriptions`, { endpoint_id: endpoint.id, source_id: source.id, event_types: ['*'] });

    // A first message shows the consumer runs, so the lock below cannot be what keeps it from starting.
    await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ type: 'order.before' }) }));
    await waitFor('the first message to reach the endpoint', () => receiver.requestsFor('/after-kill').length === 1, 15_000);
    await waitFor('the first message to be deleted', async () => (await waiting(queueUrl)) === 0, 10_000);

    // Hold every insert into events: the agent receives the message but cannot store its event.
    // (Embedded, this session's transaction holds back every query of Caravan's, to the same end.)
    const blocker = await caravan.db.connect();
    // Embedded, the kill below closes this connection too; that is expected, not a failure.
    blocker.on('error', () => undefined);
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
    try {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: JSON.stringify({ type: 'order.killed' }) }));
      await waitFor('the agent to have received it (in flight, not deleted)', async () => {
        const { Attributes } = await client.send(
          new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }),
        );
        return Number(Attributes!.ApproximateNumberOfMessagesNotVisible) === 1;
      });
      await caravan.agent!.kill();
    } finally {
      // Embedded, the kill took the database and this connection with it.
      const alive = await blocker.query('ROLLBACK').then(() => true, () => false);
      blocker.release(!alive);
    }
    const { rows: none } = await caravan.query(`SELECT count(*)::int AS n FROM events WHERE source_id = $1`, [source.id]);
    assert.equal(none[0].n, 1, 'only the first message was stored before the kill');

    await caravan.startAgent();
    await waitFor('the redelivered message to reach the endpoint', () => receiver.requestsFor('/after-kill').length === 2, 60_000);
    const { rows } = await caravan.query(`SELECT count(*)::int AS n FROM events WHERE source_id = $1`, [source.id]);
    assert.equal(rows[0].n, 2);
    await waitFor('the message to be deleted after its event was stored', async () => (await waiting(queueUrl)) === 0, 10_000);
  });
});
