export * from './sources.module';
export type {
  BrokerSourceType,
  KafkaSettings,
  PubSubSettings,
  Source,
  SourceMapping,
  SourceResponseConfig,
  SourceType,
  SqsSettings,
  StoredBroker,
  StoredVerifier,
  VerifierType,
} from './entities/source.entity';
export { SOURCE_TYPES, VERIFIER_TYPES } from './entities/source.entity';
export * from './dtos/source.dto';
export * from './dtos/source-broker.dto';
export * from './dtos/source-verifier.dto';
export * from './source-credentials';
export * from './source-errors';
export type { IncomingRequest, VerificationResult } from './verifiers/incoming-request';
export { verifyIncomingRequest, type VerifierSettings } from './verifiers/request-verifier';
export * from './usecases/create-source/create-source.usecase';
export * from './usecases/delete-source/delete-source.usecase';
export * from './usecases/find-broker-sources/find-broker-sources.usecase';
export * from './usecases/get-ingest-body-limit/get-ingest-body-limit.usecase';
export * from './usecases/get-source/get-source.usecase';
export * from './usecases/ingest-webhook/ingest-webhook.usecase';
export * from './usecases/list-ingest-errors/list-ingest-errors.usecase';
export * from './usecases/list-sources/list-sources.usecase';
export * from './usecases/record-ingest-error/record-ingest-error.usecase';
export * from './usecases/update-source/update-source.usecase';
export * from './brokers/broker-consumer';
export { mapMessage, MAPPING_ATTRIBUTES, type MessageMapping, type MappedEvent, type MappingResult } from './brokers/message-mapping';
export * from './brokers/redelivery-backoff';
export * from './brokers/logging-listener';
export * from './brokers/sqs-consumer';
export * from './brokers/kafka-consumer';
export * from './brokers/pubsub-consumer';
export * from './usecases/consume-broker-source/persist-broker-message.usecase';
export * from './usecases/consume-broker-source/broker-consumer-factory';
