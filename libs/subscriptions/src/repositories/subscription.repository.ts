import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IdLoader, MicroBatcher, PageRequest } from '@caravan/common';
import { In, LessThan, Repository } from 'typeorm';
import { Subscription } from '../entities/subscription.entity';

@Injectable()
export class SubscriptionRepository {
  private readonly byId: IdLoader<Subscription, string>;
  private readonly routingSets: MicroBatcher<string, Subscription[]>;

  constructor(@InjectRepository(Subscription) private readonly subscriptions: Repository<Subscription>) {
    this.byId = new IdLoader((ids) => this.subscriptions.findBy({ id: In(ids) }), (row, projectId) => row.projectId === projectId);
    // Concurrent routings of one project share the query; nothing is kept once it answers.
    this.routingSets = new MicroBatcher((projectIds) => this.routingSetsOf(projectIds), 500, 1);
  }

  findById(projectId: string, subscriptionId: string): Promise<Subscription | null> {
    return this.byId.load(subscriptionId, projectId);
  }

  listPage(projectId: string, page: PageRequest, endpointId?: string): Promise<Subscription[]> {
    return this.subscriptions.find({
      where: {
        projectId,
        ...(endpointId ? { endpointId } : {}),
        ...(page.beforeId ? { id: LessThan(page.beforeId) } : {}),
      },
      order: { id: 'DESC' },
      take: page.limit + 1,
    });
  }

  /** What routing needs of every subscription of a project, read-only: concurrent callers share the rows. */
  allOfProject(projectId: string): Promise<readonly Subscription[]> {
    return this.routingSets.add(projectId);
  }

  private async routingSetsOf(projectIds: string[]): Promise<Subscription[][]> {
    const rows = await this.subscriptions.find({
      select: { id: true, projectId: true, endpointId: true, sourceId: true, eventTypes: true, filter: true },
      where: { projectId: In([...new Set(projectIds)]) },
      order: { id: 'ASC' },
    });
    const byProject = new Map<string, Subscription[]>();
    for (const row of rows) {
      const set = byProject.get(row.projectId);
      if (set) set.push(row);
      else byProject.set(row.projectId, [row]);
    }
    return projectIds.map((projectId) => byProject.get(projectId) ?? []);
  }

  save(subscription: Subscription): Promise<Subscription> {
    return this.subscriptions.save(subscription);
  }

  async delete(projectId: string, subscriptionId: string): Promise<boolean> {
    const result = await this.subscriptions.delete({ projectId, id: subscriptionId });
    return (result.affected ?? 0) > 0;
  }
}
