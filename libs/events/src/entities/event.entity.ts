import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

@Entity('events')
export class Event {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  projectId: string;

  @Column('text')
  eventType: string;

  /** The event's data as JSON text: the exact bytes every delivery sends and signs. */
  @Column('text')
  payload: string;

  @Column('jsonb', { nullable: true })
  customHeaders: Record<string, string> | null;

  @Column('uuid', { nullable: true })
  endpointId: string | null;

  @Column('text', { nullable: true })
  ownerId: string | null;

  @Column('uuid', { nullable: true })
  sourceId: string | null;

  @Column('text', { nullable: true })
  idempotencyKey: string | null;

  /** Holds the key while its window lasts; unique per project, released when the window has passed. */
  @Column('text', { nullable: true })
  idempotencySlot: string | null;

  @Column('timestamptz', { nullable: true })
  routedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
