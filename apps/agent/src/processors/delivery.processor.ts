import { WorkerHost } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { DispatchDelivery, DispatchResult } from '@caravan/delivery';
import { DeliverJob } from '@caravan/queue';
import { Job } from 'bullmq';

@Injectable()
export class DeliveryProcessor extends WorkerHost {
  constructor(private readonly dispatch: DispatchDelivery) {
    super();
  }

  process(job: Job<DeliverJob>): Promise<DispatchResult> {
    return this.dispatch.execute(job.data);
  }
}
