import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** Something a source received, was entitled to send, and still could not become an event. */
@Entity('ingest_errors')
export class IngestError {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  projectId: string;

  @Column('uuid')
  sourceId: string;

  @Column('text')
  reason: string;

  /** The body as text, cut at 64 KiB. */
  @Column('text')
  payload: string;

  @Column('jsonb', { nullable: true })
  headers: Record<string, string> | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
