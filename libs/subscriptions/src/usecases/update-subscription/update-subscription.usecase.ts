import { definedFields } from '@caravan/common';
import { Injectable } from '@nestjs/common';
import { GetSource } from '@caravan/sources';
import { UpdateSubscriptionDto } from '../../dtos/subscription.dto';
import { Subscription } from '../../entities/subscription.entity';
import { parseSubscriptionFilter } from '../../filters/subscription-filter';
import { SubscriptionRepository } from '../../repositories/subscription.repository';
import { GetSubscription } from '../get-subscription/get-subscription.usecase';

@Injectable()
export class UpdateSubscription {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly getSubscription: GetSubscription,
    private readonly getSource: GetSource,
  ) {}

  async execute(projectId: string, subscriptionId: string, command: UpdateSubscriptionDto): Promise<Subscription> {
    const filter = command.filter === undefined ? undefined : parseSubscriptionFilter(command.filter);
    const subscription = await this.getSubscription.execute(projectId, subscriptionId);
    if (command.name !== undefined) subscription.name = command.name;
    if (command.source_id !== undefined) {
      subscription.sourceId = command.source_id ? (await this.getSource.execute(projectId, command.source_id, 'source_id')).id : null;
    }
    if (command.event_types !== undefined) subscription.eventTypes = command.event_types;
    if (filter !== undefined) subscription.filter = filter;
    if (command.retry !== undefined) {
      subscription.retry = command.retry ? { ...subscription.retry, ...definedFields(command.retry) } : null;
    }
    const saved = await this.subscriptions.save(subscription);
    this.getSubscription.forget(projectId, subscriptionId);
    return saved;
  }
}
