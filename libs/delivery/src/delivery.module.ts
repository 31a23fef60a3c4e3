import { Global, Module, Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import { EndpointsModule } from '@caravan/endpoints';
import { EventsModule, IngestRouter } from '@caravan/events';
import { MetaEventsModule } from '@caravan/meta-events';
import { ProjectsModule } from '@caravan/projects';
import { RedisConnection } from '@caravan/queue';
import { SubscriptionsModule } from '@caravan/subscriptions';
import { DeliveryAttempt } from './entities/delivery-attempt.entity';
import { EventDelivery } from './entities/event-delivery.entity';
import { BreakerStore } from './circuit-breaker/breaker-store';
import { CircuitBreaker } from './circuit-breaker/circuit-breaker';
import { InMemoryBreakerStore } from './circuit-breaker/in-memory-breaker-store';
import { RedisBreakerStore } from './circuit-breaker/redis-breaker-store';
import { HttpSender } from './http/http-sender';
import { InMemoryRateLimiter } from './rate-limit/in-memory-rate-limiter';
import { RateLimiter } from './rate-limit/rate-limiter';
import { RedisRateLimiter } from './rate-limit/redis-rate-limiter';
import { DeliveryRepository } from './repositories/delivery.repository';
import { DeliveryMetaEvents } from './usecases/dispatch-delivery/delivery-meta-events';
import { DispatchDelivery } from './usecases/dispatch-delivery/dispatch-delivery.usecase';
import { DispatchMetaEvent } from './usecases/dispatch-meta-event/dispatch-meta-event.usecase';
import { GetDelivery } from './usecases/get-delivery/get-delivery.usecase';
import { HandBackFirstAttempts } from './usecases/hand-back-first-attempts/hand-back-first-attempts.usecase';
import { ListDeliveries } from './usecases/list-deliveries/list-deliveries.usecase';
import { CountBatchRetry } from './usecases/count-batch-retry/count-batch-retry.usecase';
import { ForceResendDeliveries } from './usecases/force-resend-deliveries/force-resend-deliveries.usecase';
import { QueueNextAttempts } from './usecases/queue-next-attempts/queue-next-attempts.usecase';
import { ReleaseEndpointBacklog } from './usecases/release-endpoint-backlog/release-endpoint-backlog.usecase';
import { ReplayEvent } from './usecases/replay-event/replay-event.usecase';
import { ResendSelection } from './usecases/resend-selection/resend-selection.usecase';
import { RetryDelivery } from './usecases/retry-delivery/retry-delivery.usecase';
import { RouteEvent } from './usecases/route-event/route-event.usecase';
import { RouteAtIngest } from './usecases/route-at-ingest/route-at-ingest.usecase';
import { RunBatchRetry } from './usecases/run-batch-retry/run-batch-retry.usecase';
import { StartBatchRetry } from './usecases/start-batch-retry/start-batch-retry.usecase';
import { SweepPendingWork } from './usecases/sweep-pending-work/sweep-pending-work.usecase';
import { BreakerMetrics } from './telemetry/breaker-metrics';

const USE_CASES = [
  DispatchDelivery,
  DispatchMetaEvent,
  GetDelivery,
  HandBackFirstAttempts,
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
const INTERNAL = [QueueNextAttempts, ResendSelection, DeliveryMetaEvents];

// In embedded mode QueueModule provides no RedisConnection, so it is injected as optional.
const STORAGE_INJECT = [CARAVAN_CONFIG, { token: RedisConnection, optional: true }];

function requireRedis(redis: RedisConnection | undefined, needer: string): RedisConnection {
  if (redis) return redis;
  throw new Error(
    `${needer} needs Redis in external storage mode, but no RedisConnection is provided: import QueueModule.forRoot(config)`,
  );
}

/** Rate limits and breakers live in Redis, shared by every agent, or in memory for the single embedded process. */
const STATE_STORES: Provider[] = [
  {
    provide: RateLimiter,
    useFactory: (config: CaravanConfig, redis?: RedisConnection) =>
      config.storage === 'embedded'
        ? new InMemoryRateLimiter()
        : new RedisRateLimiter(requireRedis(redis, 'the rate limiter')),
    inject: STORAGE_INJECT,
  },
  {
    provide: BreakerStore,
    useFactory: (config: CaravanConfig, redis?: RedisConnection) =>
      config.storage === 'embedded'
        ? new InMemoryBreakerStore()
        : new RedisBreakerStore(requireRedis(redis, 'the circuit breaker')),
    inject: STORAGE_INJECT,
  },
];

@Module({
  imports: [
    TypeOrmModule.forFeature([EventDelivery, DeliveryAttempt]),
    EndpointsModule,
    EventsModule,
    MetaEventsModule,
    ProjectsModule,
    SubscriptionsModule,
  ],
  providers: [
    DeliveryRepository,
    HttpSender,
    CircuitBreaker,
    BreakerMetrics,
    ...STATE_STORES,
    ...INTERNAL,
    ...USE_CASES,
    RouteAtIngest,
  ],
  exports: [...USE_CASES, RouteAtIngest],
})
export class DeliveryModule {}

/**
 * Global, and for IngestRouter alone: ingest (the events lib, which this lib depends on) routes
 * through it wherever events come in (the api's route, incoming sources, broker consumers).
 */
@Global()
@Module({
  imports: [DeliveryModule],
  providers: [{ provide: IngestRouter, useExisting: RouteAtIngest }],
  exports: [IngestRouter],
})
export class IngestRoutingModule {}
