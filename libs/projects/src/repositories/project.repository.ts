import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PageRequest } from '@caravan/common';
import { LessThan, Repository } from 'typeorm';
import { Project } from '../entities/project.entity';

@Injectable()
export class ProjectRepository {
  constructor(@InjectRepository(Project) private readonly projects: Repository<Project>) {}

  findById(projectId: string): Promise<Project | null> {
    return this.projects.findOneBy({ id: projectId });
  }

  listPage(page: PageRequest): Promise<Project[]> {
    return this.projects.find({
      where: page.beforeId ? { id: LessThan(page.beforeId) } : {},
      order: { id: 'DESC' },
      take: page.limit + 1,
    });
  }

  save(project: Project): Promise<Project> {
    return this.projects.save(project);
  }

  async delete(projectId: string): Promise<boolean> {
    const result = await this.projects.delete({ id: projectId });
    return (result.affected ?? 0) > 0;
  }
}
