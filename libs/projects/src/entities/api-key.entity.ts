import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

export type ApiKeyRole = 'root' | 'project';

@Entity('api_keys')
export class ApiKey {
  @PrimaryColumn('uuid')
  id: string;

  @Column('uuid', { nullable: true })
  projectId: string | null;

  @Column('text')
  role: ApiKeyRole;

  @Column('text')
  name: string;

  @Column('text')
  prefix: string;

  /** SHA-256 of the whole key, hex. The key itself is never stored. */
  @Column('text')
  keyHash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}
