import type { MetaEventType } from '@caravan/projects';
import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type MetaEventStatus = 'scheduled' | 'processing' | 'success' | 'retry' | 'failure';
export const META_EVENT_STATUSES: MetaEventStatus[] = ['scheduled', 'processing', 'success', 'retry', 'failure'];

@Entity('meta_events')
export class MetaEvent {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  projectId: string;

  @Column('text')
  eventType: MetaEventType;

  /** The JSON body sent, `{ event_type, data }`, the same bytes on every attempt. */
  @Column('text')
  payload: string;

  @Column('text')
  status: MetaEventStatus;

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
