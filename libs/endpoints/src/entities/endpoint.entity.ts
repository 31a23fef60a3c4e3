import type { RetryConfig } from '@caravan/common';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type EndpointStatus = 'active' | 'paused' | 'inactive';

export interface EndpointSecret {
  value: string;
  created_at: string;
  expires_at: string | null;
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

  @Column('text', { nullable: true })
  supportEmail: string | null;

  @Column('jsonb', { nullable: true })
  retry: Partial<RetryConfig> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
