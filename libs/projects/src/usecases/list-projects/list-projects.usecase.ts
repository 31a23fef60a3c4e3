import { Injectable } from '@nestjs/common';
import { Page, PageRequest, toPage } from '@caravan/common';
import { presentProject, ProjectResponse } from '../../dtos/project.dto';
import { ProjectRepository } from '../../repositories/project.repository';

@Injectable()
export class ListProjects {
  constructor(private readonly projects: ProjectRepository) {}

  async execute(page: PageRequest): Promise<Page<ProjectResponse>> {
    return toPage(await this.projects.listPage(page), page, (project) => presentProject(project));
  }
}
