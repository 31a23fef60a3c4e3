import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { Project } from '../../entities/project.entity';
import { resolveProjectConfig } from '../../project-config';
import { ProjectRepository } from '../../repositories/project.repository';

@Injectable()
export class GetProject {
  constructor(private readonly projects: ProjectRepository) {}

  async execute(projectId: string): Promise<Project> {
    const project = await this.projects.findById(projectId);
    if (!project) throw NotFoundError.of('project', 'project_id');
    project.config = resolveProjectConfig(project.config, undefined);
    return project;
  }
}
