import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EndpointsModule } from '@caravan/endpoints';
import { SourcesModule } from '@caravan/sources';
import { Subscription } from './entities/subscription.entity';
import { SubscriptionRepository } from './repositories/subscription.repository';
import { CreateSubscription } from './usecases/create-subscription/create-subscription.usecase';
import { DeleteSubscription } from './usecases/delete-subscription/delete-subscription.usecase';
import { FindMatchingSubscriptions } from './usecases/find-matching-subscriptions/find-matching-subscriptions.usecase';
import { GetSubscription } from './usecases/get-subscription/get-subscription.usecase';
import { ListSubscriptions } from './usecases/list-subscriptions/list-subscriptions.usecase';
import { TestSubscriptionFilter } from './usecases/test-subscription-filter/test-subscription-filter.usecase';
import { UpdateSubscription } from './usecases/update-subscription/update-subscription.usecase';

const USE_CASES = [
  CreateSubscription,
  DeleteSubscription,
  FindMatchingSubscriptions,
  GetSubscription,
  ListSubscriptions,
  TestSubscriptionFilter,
  UpdateSubscription,
];

@Module({
  imports: [TypeOrmModule.forFeature([Subscription]), EndpointsModule, SourcesModule],
  providers: [SubscriptionRepository, ...USE_CASES],
  exports: USE_CASES,
})
export class SubscriptionsModule {}
