import type { BrokerConsumer } from '../../brokers/broker-consumer';
import { KafkaConsumer } from '../../brokers/kafka-consumer';
import { PubSubConsumer } from '../../brokers/pubsub-consumer';
import { SqsConsumer } from '../../brokers/sqs-consumer';
import type { Source } from '../../entities/source.entity';
import type { BrokerSettings } from '../../source-credentials';

/** The consumer for a broker source, from its opened settings. */
export function createBrokerConsumer(source: Source, settings: BrokerSettings): BrokerConsumer {
  if (settings.sqs) {
    const { queue_url, region, endpoint, access_key_id, secret_access_key } = settings.sqs;
    return new SqsConsumer({
      queueUrl: queue_url,
      region,
      endpoint,
      credentials: access_key_id && secret_access_key ? { accessKeyId: access_key_id, secretAccessKey: secret_access_key } : undefined,
      workers: settings.workers,
    });
  }
  if (settings.kafka) {
    const { brokers, topic, group_id, sasl } = settings.kafka;
    return new KafkaConsumer({ brokers, topic, groupId: group_id, clientId: `caravan-${source.id}`, sasl, workers: settings.workers });
  }
  if (settings.pubsub) {
    const { project_id, subscription, credentials_json } = settings.pubsub;
    return new PubSubConsumer({
      projectId: project_id,
      subscription,
      credentials: credentials_json ? (JSON.parse(credentials_json) as { client_email: string; private_key: string }) : undefined,
      workers: settings.workers,
    });
  }
  throw new Error(`source ${source.id} has no broker settings`);
}
