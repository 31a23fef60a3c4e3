import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EndpointsModule } from '@caravan/endpoints';
import { EventsModule } from '@caravan/events';
import { ProjectsModule } from '@caravan/projects';
import { SubscriptionsModule } from '@caravan/subscriptions';
import { DeliveryAttempt } from './entities/delivery-attempt.entity';
import { EventDelivery } from './entities/event-delivery.entity';
import { HttpSender } from './http/http-sender';
import { DeliveryRepository } from './repositories/delivery.repository';
import { DispatchDelivery } from './usecases/dispatch-delivery/dispatch-delivery.usecase';
import { GetDelivery } from './usecases/get-delivery/get-delivery.usecase';
import { ListDeliveries } from './usecases/list-deliveries/list-deliveries.usecase';
import { ReleaseEndpointBacklog } from './usecases/release-endpoint-backlog/release-endpoint-backlog.usecase';
import { RouteEvent } from './usecases/route-event/route-event.usecase';
import { SweepPendingWork } from './usecases/sweep-pending-work/sweep-pending-work.usecase';

const USE_CASES = [DispatchDelivery, GetDelivery, ListDeliveries, ReleaseEndpointBacklog, RouteEvent, SweepPendingWork];

@Module({
  imports: [
    TypeOrmModule.forFeature([EventDelivery, DeliveryAttempt]),
    EndpointsModule,
    EventsModule,
    ProjectsModule,
    SubscriptionsModule,
  ],
  providers: [DeliveryRepository, HttpSender, ...USE_CASES],
  exports: USE_CASES,
})
export class DeliveryModule {}
