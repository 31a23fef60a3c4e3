import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EndpointsModule } from '@caravan/endpoints';
import { EventsModule } from '@caravan/events';
import { ProjectsModule } from '@caravan/projects';
import { SubscriptionsModule } from '@caravan/subscriptions';
import { DeliveryAttempt } from './entities/delivery-attempt.entity';
import { EventDelivery } from './entities/event-delivery.entity';
import { CircuitBreaker } from './circuit-breaker/circuit-breaker';
import { HttpSender } from './http/http-sender';
import { RateLimiter, RedisRateLimiter } from './rate-limit/rate-limiter';
import { DeliveryRepository } from './repositories/delivery.repository';
import { DispatchDelivery } from './usecases/dispatch-delivery/dispatch-delivery.usecase';
import { GetDelivery } from './usecases/get-delivery/get-delivery.usecase';
import { ListDeliveries } from './usecases/list-deliveries/list-deliveries.usecase';
import { CountBatchRetry } from './usecases/count-batch-retry/count-batch-retry.usecase';
import { ForceResendDeliveries } from './usecases/force-resend-deliveries/force-resend-deliveries.usecase';
import { QueueNextAttempts } from './usecases/queue-next-attempts/queue-next-attempts.usecase';
import { ReleaseEndpointBacklog } from './usecases/release-endpoint-backlog/release-endpoint-backlog.usecase';
import { ReplayEvent } from './usecases/replay-event/replay-event.usecase';
import { ResendSelection } from './usecases/resend-selection/resend-selection.usecase';
import { RetryDelivery } from './usecases/retry-delivery/retry-delivery.usecase';
import { RouteEvent } from './usecases/route-event/route-event.usecase';
import { RunBatchRetry } from './usecases/run-batch-retry/run-batch-retry.usecase';
import { StartBatchRetry } from './usecases/start-batch-retry/start-batch-retry.usecase';
import { SweepPendingWork } from './usecases/sweep-pending-work/sweep-pending-work.usecase';

const USE_CASES = [
  DispatchDelivery,
  GetDelivery,
  ListDeliveries,
  ReleaseEndpointBacklog,
  RouteEvent,
  SweepPendingWork,
  RetryDelivery,
  ForceResendDeliveries,
  CountBatchRetry,
  StartBatchRetry,
  RunBatchRetry,
  ReplayEvent,
];

/** Steps the use cases above share; not offered outside the lib. */
const INTERNAL = [QueueNextAttempts, ResendSelection];

@Module({
  imports: [
    TypeOrmModule.forFeature([EventDelivery, DeliveryAttempt]),
    EndpointsModule,
    EventsModule,
    ProjectsModule,
    SubscriptionsModule,
  ],
  providers: [DeliveryRepository, HttpSender, CircuitBreaker, { provide: RateLimiter, useClass: RedisRateLimiter }, ...INTERNAL, ...USE_CASES],
  exports: USE_CASES,
})
export class DeliveryModule {}
