import { Injectable } from '@nestjs/common';
import { newId } from '@caravan/common';
import { CreateProjectDto } from '../../dtos/project.dto';
import { Project } from '../../entities/project.entity';
import { resolveProjectConfig } from '../../project-config';
import { ProjectRepository } from '../../repositories/project.repository';

@Injectable()
export class CreateProject {
  constructor(private readonly projects: ProjectRepository) {}

  execute(command: CreateProjectDto): Promise<Project> {
    const project = new Project();
    project.id = newId();
    project.name = command.name;
    project.type = command.type ?? 'outgoing';
    project.config = resolveProjectConfig(undefined, command.config);
    return this.projects.save(project);
  }
}
