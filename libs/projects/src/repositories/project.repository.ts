import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IdLoader, PageRequest } from '@caravan/common';
import { In, LessThan, Repository } from 'typeorm';
import { Project } from '../entities/project.entity';

@Injectable()
export class ProjectRepository {
  private readonly byId: IdLoader<Project>;

  constructor(@InjectRepository(Project) private readonly projects: Repository<Project>) {
    this.byId = new IdLoader((ids) => this.projects.findBy({ id: In(ids) }));
  }

  findById(projectId: string): Promise<Project | null> {
    return this.byId.load(projectId, undefined);
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
