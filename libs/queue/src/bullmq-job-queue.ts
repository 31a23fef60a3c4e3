import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DelayedDeliverJob, deliverJobId, JobQueue, routeEventJobId } from './job-queue';
import { QueueName, RouteEventJob } from './queue-names';

@Injectable()
export class BullMqJobQueue extends JobQueue {
  constructor(
    @InjectQueue(QueueName.Routing) private readonly routing: Queue,
    @InjectQueue(QueueName.Delivery) private readonly delivery: Queue,
  ) {
    super();
  }

  async routeEvents(jobs: RouteEventJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.routing.addBulk(
      jobs.map((job) => ({ name: QueueName.Routing, data: job, opts: { jobId: routeEventJobId(job) } })),
    );
  }

  async deliver(jobs: DelayedDeliverJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await this.delivery.addBulk(
      jobs.map(({ delayMs, ...job }) => ({
        name: QueueName.Delivery,
        data: job,
        opts: { jobId: deliverJobId(job), delay: delayMs && delayMs > 0 ? Math.ceil(delayMs) : undefined },
      })),
    );
  }

  async ping(): Promise<void> {
    await this.routing.getJobCounts('wait');
  }
}
