import { Injectable } from '@nestjs/common';
import { caravanMetrics, inSpan, SpanAttribute, SpanKind } from '@caravan/common';
import { DispatchDelivery, DispatchResult } from '@caravan/delivery';
import { Deferral, DeliverJob, JobHandler, QueuedJob } from '@caravan/queue';

@Injectable()
export class DeliveryProcessor extends JobHandler<DeliverJob> {
  constructor(private readonly dispatch: DispatchDelivery) {
    super();
  }

  handle(job: QueuedJob<DeliverJob>): Promise<DispatchResult | Deferral<DeliverJob>> {
    // A child of the routing span (or of the API request that asked for a retry), from the job's traceparent.
    const attributes = {
      [SpanAttribute.projectId]: job.data.projectId,
      [SpanAttribute.endpointId]: job.data.endpointId,
      [SpanAttribute.deliveryId]: job.data.deliveryId,
      [SpanAttribute.attempt]: job.data.attempt,
    };
    return inSpan('caravan.delivery.attempt', { kind: SpanKind.CONSUMER, attributes, parent: job.data.traceparent ?? null }, async (span) => {
      const outcome = await this.dispatch.execute(job.data);
      if (typeof outcome === 'string') {
        if (outcome !== 'sent') span?.setAttribute(SpanAttribute.outcome, outcome);
        return outcome;
      }
      caravanMetrics.deferrals.inc({ reason: outcome.reason });
      span?.setAttribute(SpanAttribute.outcome, outcome.reason);
      // Rate limit or open circuit: the same job waits, with no attempt counted or failed.
      const data = outcome.slotReserved && !job.data.rateLimitSlotReserved ? { ...job.data, rateLimitSlotReserved: true } : job.data;
      return new Deferral(outcome.deferMs, data);
    });
  }
}
