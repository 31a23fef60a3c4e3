import { Injectable } from '@nestjs/common';
import { DispatchDelivery, DispatchResult } from '@caravan/delivery';
import { Deferral, DeliverJob, JobHandler, QueuedJob } from '@caravan/queue';

@Injectable()
export class DeliveryProcessor extends JobHandler<DeliverJob> {
  constructor(private readonly dispatch: DispatchDelivery) {
    super();
  }

  async handle(job: QueuedJob<DeliverJob>): Promise<DispatchResult | Deferral<DeliverJob>> {
    const outcome = await this.dispatch.execute(job.data);
    if (typeof outcome === 'string') return outcome;
    // Rate limit or open circuit: the same job waits, with no attempt counted or failed.
    const data = outcome.slotReserved && !job.data.rateLimitSlotReserved ? { ...job.data, rateLimitSlotReserved: true } : job.data;
    return new Deferral(outcome.deferMs, data);
  }
}
