import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ProjectConfig } from '../project-config';

export type ProjectType = 'outgoing' | 'incoming';

@Entity('projects')
export class Project {
  @PrimaryColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  type: ProjectType;

  @Column('jsonb')
  config: ProjectConfig;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
