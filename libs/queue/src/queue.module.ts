import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { CaravanConfig } from '@caravan/common';
import { BullMqJobQueue } from './bullmq-job-queue';
import { InProcessJobQueue } from './in-process-job-queue';
import { JOB_ATTEMPTS, JOB_BACKOFF_MS } from './job-handler';
import { JobQueue } from './job-queue';
import { QueueName } from './queue-names';
import { BullMqQueueMetrics, InProcessQueueMetrics } from './queue-metrics';
import { redisOptions } from './redis-connection';
import { RedisConnection } from './redis-connection.provider';
import { RoutedHandoff } from './routed-handoff';

/** The JobQueue port: BullMQ on Redis, or in memory in the embedded mode (one process, no Redis). */
@Global()
@Module({})
export class QueueModule {
  static forRoot(config: CaravanConfig): DynamicModule {
    return config.storage === 'embedded' ? QueueModule.inProcess() : QueueModule.onRedis(config);
  }

  private static inProcess(): DynamicModule {
    return {
      module: QueueModule,
      providers: [InProcessJobQueue, { provide: JobQueue, useExisting: InProcessJobQueue }, InProcessQueueMetrics],
      exports: [JobQueue, InProcessJobQueue],
    };
  }

  private static onRedis(config: CaravanConfig): DynamicModule {
    const queues = Object.values(QueueName).map((name) => BullModule.registerQueue({ name }));
    return {
      module: QueueModule,
      imports: [
        BullModule.forRoot({
          connection: redisOptions(config.redis),
          prefix: config.redis.prefix,
          defaultJobOptions: {
            // Postgres is the record of what is owed; a job is only a nudge. Completed and
            // failed jobs are dropped so that the sweeper can enqueue the same job id again.
            removeOnComplete: true,
            removeOnFail: true,
            attempts: JOB_ATTEMPTS,
            backoff: { type: 'exponential', delay: JOB_BACKOFF_MS },
          },
        }),
        ...queues,
      ],
      providers: [{ provide: JobQueue, useClass: BullMqJobQueue }, RedisConnection, RoutedHandoff, BullMqQueueMetrics],
      exports: [JobQueue, RedisConnection, RoutedHandoff, ...queues],
    };
  }
}
