import { BullModule } from '@nestjs/bullmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { CaravanConfig } from '@caravan/common';
import { BullMqJobQueue } from './bullmq-job-queue';
import { JobQueue } from './job-queue';
import { QueueName } from './queue-names';
import { redisOptionsFromUrl } from './redis-connection';
import { RedisConnection } from './redis-connection.provider';

@Global()
@Module({})
export class QueueModule {
  static forRoot(config: CaravanConfig): DynamicModule {
    const queues = Object.values(QueueName).map((name) => BullModule.registerQueue({ name }));
    return {
      module: QueueModule,
      imports: [
        BullModule.forRoot({
          connection: redisOptionsFromUrl(config.redis.url),
          prefix: config.redis.prefix,
          defaultJobOptions: {
            // Postgres is the record of what is owed; a job is only a nudge. Completed and
            // failed jobs are dropped so that the sweeper can enqueue the same job id again.
            removeOnComplete: true,
            removeOnFail: true,
            attempts: 3,
            backoff: { type: 'exponential', delay: 1000 },
          },
        }),
        ...queues,
      ],
      providers: [{ provide: JobQueue, useClass: BullMqJobQueue }, RedisConnection],
      exports: [JobQueue, RedisConnection, ...queues],
    };
  }
}
