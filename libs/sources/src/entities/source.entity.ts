import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export const SOURCE_TYPES = ['http', 'kafka', 'sqs', 'pubsub'] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];
export type BrokerSourceType = Exclude<SourceType, 'http'>;

export const VERIFIER_TYPES = [
  'none',
  'hmac',
  'basic_auth',
  'api_key',
  'github',
  'stripe',
  'shopify',
  'standard-webhooks',
] as const;
export type VerifierType = (typeof VERIFIER_TYPES)[number];

/**
 * How a source checks an incoming request, as stored: the type and its non-secret parts in the
 * clear, the secret parts sealed (AES-256-GCM) as one JSON document in `sealed`.
 */
export interface StoredVerifier {
  type: VerifierType;
  /** hmac: the header carrying the signature, its hash and encoding. */
  header?: string;
  hash?: 'sha256' | 'sha512';
  encoding?: 'hex' | 'base64';
  /** api_key: the header's name. */
  header_name?: string;
  sealed?: string;
}

/** What an HTTP source answers a request it accepted (or a repeat of one). */
export interface SourceResponseConfig {
  status_code: number;
  body: string;
  content_type: string;
}

/** Where an event's fields are found in a JSON body: dotted paths such as `meta.type` or `items.0.id`. */
export interface SourceMapping {
  event_type_path?: string;
  endpoint_id_path?: string;
  owner_id_path?: string;
  idempotency_key_path?: string;
}

export interface KafkaSettings {
  brokers: string[];
  topic: string;
  group_id: string;
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string };
}

export interface SqsSettings {
  queue_url: string;
  region: string;
  endpoint?: string;
  access_key_id?: string;
}

export interface PubSubSettings {
  project_id: string;
  subscription: string;
}

/**
 * A broker source's connection settings, as stored: everything but the credentials in the clear,
 * the credentials (SASL password, SQS secret access key, Pub/Sub service-account JSON) sealed.
 */
export interface StoredBroker {
  workers: number;
  kafka?: KafkaSettings;
  sqs?: SqsSettings;
  pubsub?: PubSubSettings;
  sealed?: string;
}

@Entity('sources')
export class Source {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  projectId: string;

  @Column('text')
  name: string;

  @Column('text')
  type: SourceType;

  /** The unguessable public part of the ingest URL. */
  @Column('text')
  maskId: string;

  @Column('jsonb')
  verifier: StoredVerifier;

  /** A request header whose repeat within the project's idempotency window is answered without a new event. */
  @Column('text', { nullable: true })
  idempotencyHeader: string | null;

  /** Null: 200 `{"status":"ok"}`. */
  @Column('jsonb', { nullable: true })
  response: SourceResponseConfig | null;

  @Column('jsonb', { nullable: true })
  broker: StoredBroker | null;

  @Column('jsonb', { nullable: true })
  mapping: SourceMapping | null;

  /** Null: CARAVAN_BODY_LIMIT_BYTES. */
  @Column('integer', { nullable: true })
  bodyLimitBytes: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
