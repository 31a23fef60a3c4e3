import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Injectable, Type } from '@nestjs/common';
import { DelayedError, Job } from 'bullmq';
import { Deferral, JobHandler, QueuedJob } from './job-handler';
import { QueueName } from './queue-names';

export interface BullMqWorkerOptions {
  concurrency: number;
  lockDurationMs: number;
}

/**
 * A BullMQ worker for one queue that hands each job to its JobHandler. @nestjs/bullmq reads worker
 * options from decorator metadata, so each queue gets its own class, made here once at boot.
 */
export function bullMqWorker(queue: QueueName, handler: Type<JobHandler>, options: BullMqWorkerOptions): Type<WorkerHost> {
  @Injectable()
  class QueueWorker extends WorkerHost {
    constructor(@Inject(handler) private readonly jobs: JobHandler) {
      super();
    }

    async process(job: Job, token?: string): Promise<unknown> {
      const result = await this.jobs.handle(asQueuedJob(job));
      if (!(result instanceof Deferral)) return result;
      if (result.data !== job.data) await job.updateData(result.data);
      await job.moveToDelayed(Date.now() + Math.max(0, Math.ceil(result.delayMs)), token);
      throw new DelayedError();
    }
  }
  Object.defineProperty(QueueWorker, 'name', { value: `${handler.name}Worker` });
  Processor(queue, {
    concurrency: options.concurrency,
    lockDuration: options.lockDurationMs,
    stalledInterval: options.lockDurationMs,
    maxStalledCount: 5,
  })(QueueWorker);
  return QueueWorker;
}

function asQueuedJob(job: Job): QueuedJob {
  return {
    id: job.id ?? '',
    name: job.name,
    data: job.data as unknown,
    progress: job.progress,
    saveProgress: (progress) => job.updateProgress(progress),
  };
}
