import { WorkerHost } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { DispatchDelivery, DispatchResult } from '@caravan/delivery';
import { DeliverJob } from '@caravan/queue';
import { DelayedError, Job } from 'bullmq';

@Injectable()
export class DeliveryProcessor extends WorkerHost {
  constructor(private readonly dispatch: DispatchDelivery) {
    super();
  }

  async process(job: Job<DeliverJob>, token?: string): Promise<DispatchResult> {
    const outcome = await this.dispatch.execute(job.data);
    if (typeof outcome === 'string') return outcome;

    // Rate limit or open circuit: the same job waits, with no attempt counted or failed.
    if (outcome.slotReserved && !job.data.rateLimitSlotReserved) await job.updateData({ ...job.data, rateLimitSlotReserved: true });
    await job.moveToDelayed(Date.now() + outcome.deferMs, token);
    throw new DelayedError();
  }
}
