import { Injectable } from '@nestjs/common';
import { definedFields, newId } from '@caravan/common';
import { GetEndpoint } from '@caravan/endpoints';
import { GetSource } from '@caravan/sources';
import { CreateSubscriptionDto } from '../../dtos/subscription.dto';
import { Subscription } from '../../entities/subscription.entity';
import { parseSubscriptionFilter } from '../../filters/subscription-filter';
import { SubscriptionRepository } from '../../repositories/subscription.repository';

@Injectable()
export class CreateSubscription {
  constructor(
    private readonly subscriptions: SubscriptionRepository,
    private readonly getEndpoint: GetEndpoint,
    private readonly getSource: GetSource,
  ) {}

  async execute(projectId: string, command: CreateSubscriptionDto): Promise<Subscription> {
    const filter = parseSubscriptionFilter(command.filter);
    const endpoint = await this.getEndpoint.execute(projectId, command.endpoint_id);
    const source = command.source_id ? await this.getSource.execute(projectId, command.source_id, 'source_id') : null;
    const subscription = new Subscription();
    subscription.id = newId();
    subscription.projectId = projectId;
    subscription.endpointId = endpoint.id;
    subscription.name = command.name ?? `${endpoint.name} subscription`;
    subscription.sourceId = source?.id ?? null;
    subscription.eventTypes = command.event_types ?? ['*'];
    subscription.filter = filter;
    subscription.retry = command.retry ? definedFields(command.retry) : null;
    return this.subscriptions.save(subscription);
  }
}
