import { Injectable } from '@nestjs/common';
import { newId } from '@caravan/common';
import { CreateProjectDto } from '../../dtos/project.dto';
import { Project } from '../../entities/project.entity';
import { MetaEventsSettings } from '../../meta-events-settings';
import { ProjectRepository } from '../../repositories/project.repository';

/** A saved project, and the meta-events secret the change generated (shown once), if it did. */
export interface ProjectChange {
  project: Project;
  generatedSecret: string | null;
}

@Injectable()
export class CreateProject {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly settings: MetaEventsSettings,
  ) {}

  async execute(command: CreateProjectDto): Promise<ProjectChange> {
    const { config, generatedSecret } = this.settings.resolve(undefined, command.config);
    const project = new Project();
    project.id = newId();
    project.name = command.name;
    project.type = command.type ?? 'outgoing';
    project.config = config;
    return { project: await this.projects.save(project), generatedSecret };
  }
}
