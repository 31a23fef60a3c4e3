import { Injectable } from '@nestjs/common';
import { ResendProgress, RunBatchRetry } from '@caravan/delivery';
import { BatchRetryJob, JobHandler, MaintenanceJobName, QueuedJob } from '@caravan/queue';

/** The Maintenance queue carries several kinds of job; the Record makes a kind without a handler a compile error. */
@Injectable()
export class MaintenanceProcessor extends JobHandler {
  private readonly handlers: Record<MaintenanceJobName, (job: QueuedJob) => Promise<unknown>>;

  constructor(private readonly runBatchRetry: RunBatchRetry) {
    super();
    this.handlers = {
      [MaintenanceJobName.BatchRetry]: (job) => this.batchRetry(job as QueuedJob<BatchRetryJob>),
    };
  }

  handle(job: QueuedJob): Promise<unknown> {
    const handler = this.handlers[job.name as MaintenanceJobName];
    if (!handler) throw new Error(`no handler for maintenance job "${job.name}"`);
    return handler(job);
  }

  private batchRetry(job: QueuedJob<BatchRetryJob>): Promise<number> {
    return this.runBatchRetry.execute(job.data, savedProgress(job), (progress) => job.saveProgress({ ...progress }));
  }
}

/** The progress a previous run of this job saved, if any. */
function savedProgress(job: QueuedJob): ResendProgress | undefined {
  const progress = job.progress as Partial<ResendProgress> | number;
  if (typeof progress !== 'object' || progress === null || typeof progress.queued !== 'number')
    return undefined;
  return { afterId: progress.afterId ?? null, queued: progress.queued };
}
