import { Injectable } from '@nestjs/common';
import { DispatchMetaEvent, MetaEventDispatchResult } from '@caravan/delivery';
import { JobHandler, QueuedJob, SendMetaEventJob } from '@caravan/queue';

@Injectable()
export class MetaEventProcessor extends JobHandler<SendMetaEventJob> {
  constructor(private readonly dispatch: DispatchMetaEvent) {
    super();
  }

  handle(job: QueuedJob<SendMetaEventJob>): Promise<MetaEventDispatchResult> {
    return this.dispatch.execute(job.data);
  }
}
