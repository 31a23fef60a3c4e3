import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IdLoader, PageRequest } from '@caravan/common';
import { In, LessThan, Repository } from 'typeorm';
import { Subscription } from '../entities/subscription.entity';

@Injectable()
export class SubscriptionRepository {
  private readonly byId: IdLoader<Subscription, string>;

  constructor(@InjectRepository(Subscription) private readonly subscriptions: Repository<Subscription>) {
    this.byId = new IdLoader((ids) => this.subscriptions.findBy({ id: In(ids) }), (row, projectId) => row.projectId === projectId);
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

  /** What routing needs of every subscription of a project, in one query. */
  allOfProject(projectId: string): Promise<Subscription[]> {
    return this.subscriptions.find({
      select: { id: true, endpointId: true, sourceId: true, eventTypes: true, filter: true },
      where: { projectId },
      order: { id: 'ASC' },
    });
  }

  save(subscription: Subscription): Promise<Subscription> {
    return this.subscriptions.save(subscription);
  }

  async delete(projectId: string, subscriptionId: string): Promise<boolean> {
    const result = await this.subscriptions.delete({ projectId, id: subscriptionId });
    return (result.affected ?? 0) > 0;
  }
}
