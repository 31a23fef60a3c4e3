import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type DeliveryStatus = 'scheduled' | 'processing' | 'success' | 'retry' | 'failure' | 'discarded';

export const DELIVERY_STATUSES: DeliveryStatus[] = ['scheduled', 'processing', 'success', 'retry', 'failure', 'discarded'];

@Entity('event_deliveries')
export class EventDelivery {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  projectId: string;

  @Column('uuid')
  eventId: string;

  @Column('uuid')
  endpointId: string;

  @Column('uuid', { nullable: true })
  subscriptionId: string | null;

  @Column('text')
  status: DeliveryStatus;

  /** Attempts started; the attempt in flight while processing. */
  @Column('integer')
  attemptCount: number;

  /** Due time while scheduled or retry; lock expiry while processing. */
  @Column('timestamptz')
  nextAttemptAt: Date;

  @Column('integer', { nullable: true })
  lastStatusCode: number | null;

  @Column('text', { nullable: true })
  lastError: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
