import { Injectable, Logger } from '@nestjs/common';
import { BatchRetryJob } from '@caravan/queue';
import { selectionOf } from '../../dtos/resend-deliveries.dto';
import { ResendProgress, ResendSelection } from '../resend-selection/resend-selection.usecase';

/**
 * The agent's side of a batch retry. Progress is saved after each batch, so a job that runs again
 * (the agent died, the job stalled) resumes where it stopped instead of resending from the start.
 */
@Injectable()
export class RunBatchRetry {
  private readonly logger = new Logger(RunBatchRetry.name);

  constructor(private readonly resendSelection: ResendSelection) {}

  async execute(
    job: BatchRetryJob,
    resumeFrom?: ResendProgress,
    saveProgress?: (progress: ResendProgress) => Promise<void>,
  ): Promise<number> {
    const queued = await this.resendSelection.execute(
      job.projectId,
      selectionOf(job.filter),
      resumeFrom,
      saveProgress,
    );
    this.logger.log(
      `batch retry ${job.batchId} of project ${job.projectId} queued ${queued} delivery attempt(s)`,
    );
    return queued;
  }
}
