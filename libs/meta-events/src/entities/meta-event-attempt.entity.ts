import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** One try of a meta event, shaped like a delivery attempt. */
@Entity('meta_event_attempts')
export class MetaEventAttempt {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  projectId: string;

  @Column('uuid')
  metaEventId: string;

  @Column('integer')
  attemptNumber: number;

  @Column('text')
  requestUrl: string;

  @Column('text')
  requestMethod: string;

  @Column('jsonb')
  requestHeaders: Record<string, string>;

  @Column('integer', { nullable: true })
  responseStatusCode: number | null;

  @Column('jsonb', { nullable: true })
  responseHeaders: Record<string, string> | null;

  /** Capped at CARAVAN_RESPONSE_BODY_LIMIT_BYTES. */
  @Column('text', { nullable: true })
  responseBody: string | null;

  @Column('text', { nullable: true })
  error: string | null;

  @Column('integer')
  durationMs: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
