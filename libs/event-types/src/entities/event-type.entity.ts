import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** A JSON Schema, as the project registered it. */
export type JsonSchemaObject = Record<string, unknown>;

/** One entry of a project's catalogue of event types; the API addresses it by name. */
@Entity('event_types')
export class EventType {
  /** Only orders the list (newest first) and makes its cursor; never shown. */
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid')
  projectId: string;

  @Column('text')
  name: string;

  @Column('text')
  description: string;

  @Column('text', { nullable: true })
  category: string | null;

  /** `json`, not `jsonb`: the schema comes back with its keys in the order it was written, which is how it documents. */
  @Column('json', { nullable: true })
  schema: JsonSchemaObject | null;

  @Column('boolean')
  deprecated: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
