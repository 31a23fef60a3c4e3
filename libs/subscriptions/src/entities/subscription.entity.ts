import type { RetryConfig } from '@caravan/common';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { SubscriptionFilter } from '../filters/subscription-filter';

@Entity('subscriptions')
export class Subscription {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  projectId: string;

  @Column('uuid')
  endpointId: string;

  @Column('text')
  name: string;

  /** Set: only events from this source are routed here. Null: only events sent through the API. */
  @Column('uuid', { nullable: true })
  sourceId: string | null;

  @Column('text', { array: true })
  eventTypes: string[];

  /** Validated when written; null matches every event of the subscribed types. */
  @Column('jsonb', { nullable: true })
  filter: SubscriptionFilter | null;

  /** Overrides the endpoint's and the project's retry settings, field by field. */
  @Column('jsonb', { nullable: true })
  retry: Partial<RetryConfig> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
