import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { ProjectRepository } from '../../repositories/project.repository';
import { AuthenticateApiKey } from '../authenticate-api-key/authenticate-api-key.usecase';
import { GetProject } from '../get-project/get-project.usecase';

/** Deletes the project with everything in it (endpoints, events, deliveries, keys). */
@Injectable()
export class DeleteProject {
  constructor(
    private readonly projects: ProjectRepository,
    private readonly authenticate: AuthenticateApiKey,
    private readonly getProject: GetProject,
  ) {}

  async execute(projectId: string): Promise<void> {
    if (!(await this.projects.delete(projectId))) throw NotFoundError.of('project', 'project_id');
    this.authenticate.forgetProject(projectId);
    this.getProject.forget(projectId);
  }
}
