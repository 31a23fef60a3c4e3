import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PageRequest } from '@caravan/common';
import { LessThan, Repository } from 'typeorm';
import { Subscription } from '../entities/subscription.entity';

@Injectable()
export class SubscriptionRepository {
  constructor(@InjectRepository(Subscription) private readonly subscriptions: Repository<Subscription>) {}

  findById(projectId: string, subscriptionId: string): Promise<Subscription | null> {
    return this.subscriptions.findOneBy({ projectId, id: subscriptionId });
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
