import { Injectable } from '@nestjs/common';
import { NotFoundError, RecentValues } from '@caravan/common';
import { Project } from '../../entities/project.entity';
import { resolveProjectConfig } from '../../project-config';
import { ProjectRepository } from '../../repositories/project.repository';

export const RECENT_PROJECT_MAX_AGE_MS = 1000;

@Injectable()
export class GetProject {
  private readonly recentlyRead = new RecentValues<Project>(RECENT_PROJECT_MAX_AGE_MS);

  constructor(private readonly projects: ProjectRepository) {}

  /**
   * For hot paths that only read the config (every delivery): at most a second old, shared by
   * callers, so not to be changed. Other processes' updates show within that second.
   */
  recent(projectId: string): Promise<Project> {
    return this.recentlyRead.get(projectId, () => this.execute(projectId));
  }

  /** This process changed or deleted the project: its next read is fresh. */
  forget(projectId: string): void {
    this.recentlyRead.forget(projectId);
  }

  async execute(projectId: string): Promise<Project> {
    const project = await this.projects.findById(projectId);
    if (!project) throw NotFoundError.of('project', 'project_id');
    project.config = resolveProjectConfig(project.config, undefined);
    return project;
  }
}
