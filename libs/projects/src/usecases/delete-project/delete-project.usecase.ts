import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { ProjectRepository } from '../../repositories/project.repository';

/** Deletes the project with everything in it (endpoints, events, deliveries, keys). */
@Injectable()
export class DeleteProject {
  constructor(private readonly projects: ProjectRepository) {}

  async execute(projectId: string): Promise<void> {
    if (!(await this.projects.delete(projectId))) throw NotFoundError.of('project', 'project_id');
  }
}
