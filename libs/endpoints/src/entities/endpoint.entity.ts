import type { RetryConfig } from '@caravan/common';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type EndpointStatus = 'active' | 'paused' | 'inactive';

/** One signing secret; `value` is sealed (AES-256-GCM) at rest. */
export interface EndpointSecret {
  value: string;
  created_at: string;
  expires_at: string | null;
}

/** Credentials the endpoint expects with every delivery; `sealed` holds them encrypted. */
export interface StoredAuthentication {
  type: 'api_key' | 'basic';
  /** The api_key header's name (not a secret), shown back to the user. */
  header_name?: string;
  sealed: string;
}

/** A client certificate for mTLS: the certificate is public, its key is sealed. */
export interface StoredClientCertificate {
  client_cert: string;
  sealed_key: string;
}

@Entity('endpoints')
export class Endpoint {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  projectId: string;

  @Column('text')
  name: string;

  @Column('text')
  url: string;

  @Column('text')
  description: string;

  @Column('text', { nullable: true })
  ownerId: string | null;

  @Column('text')
  status: EndpointStatus;

  /** Newest last. Never returned by list or get; see GetEndpointSecret. */
  @Column('jsonb')
  secrets: EndpointSecret[];

  @Column('integer')
  httpTimeoutSeconds: number;

  /** At most this many deliveries per rateLimitDurationSeconds; null: the project's default. */
  @Column('integer', { nullable: true })
  rateLimit: number | null;

  @Column('integer', { nullable: true })
  rateLimitDurationSeconds: number | null;

  /** Why the endpoint was set inactive (its circuit kept opening), until it is activated again. */
  @Column('text', { nullable: true })
  disabledReason: string | null;

  @Column('timestamptz', { nullable: true })
  disabledAt: Date | null;

  @Column('text', { nullable: true })
  supportEmail: string | null;

  @Column('jsonb', { nullable: true })
  retry: Partial<RetryConfig> | null;

  @Column('jsonb', { nullable: true })
  authentication: StoredAuthentication | null;

  @Column('jsonb', { nullable: true })
  tls: StoredClientCertificate | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
