import { Injectable } from '@nestjs/common';
import { UpdateProjectDto } from '../../dtos/project.dto';
import { Project } from '../../entities/project.entity';
import { resolveProjectConfig } from '../../project-config';
import { ProjectRepository } from '../../repositories/project.repository';
import { GetProject } from '../get-project/get-project.usecase';

@Injectable()
export class UpdateProject {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly getProject: GetProject,
  ) {}

  async execute(projectId: string, command: UpdateProjectDto): Promise<Project> {
    const project = await this.getProject.execute(projectId);
    if (command.name !== undefined) project.name = command.name;
    if (command.config !== undefined) project.config = resolveProjectConfig(project.config, command.config);
    const saved = await this.projects.save(project);
    this.getProject.forget(projectId);
    return saved;
  }
}
