import { Injectable } from '@nestjs/common';
import { UpdateProjectDto } from '../../dtos/project.dto';
import { MetaEventsSettings } from '../../meta-events-settings';
import { ProjectRepository } from '../../repositories/project.repository';
import { ProjectChange } from '../create-project/create-project.usecase';
import { GetProject } from '../get-project/get-project.usecase';

@Injectable()
export class UpdateProject {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly getProject: GetProject,
    private readonly settings: MetaEventsSettings,
  ) {}

  async execute(projectId: string, command: UpdateProjectDto): Promise<ProjectChange> {
    const project = await this.getProject.execute(projectId);
    let generatedSecret: string | null = null;
    if (command.name !== undefined) project.name = command.name;
    if (command.config !== undefined) {
      const resolved = this.settings.resolve(project.config, command.config);
      project.config = resolved.config;
      generatedSecret = resolved.generatedSecret;
    }
    const saved = await this.projects.save(project);
    this.getProject.forget(projectId);
    return { project: saved, generatedSecret };
  }
}
