import { Injectable } from '@nestjs/common';
import { caravanMetrics, inSpan, SpanAttribute, SpanKind } from '@caravan/common';
import { ClaimedDelivery, DispatchDelivery, DispatchResult } from '@caravan/delivery';
import { Deferral, DeliverJob, JobHandler, QueuedJob } from '@caravan/queue';

@Injectable()
export class DeliveryProcessor extends JobHandler<DeliverJob> {
  constructor(private readonly dispatch: DispatchDelivery) {
    super();
  }

  handle(job: QueuedJob<DeliverJob>): Promise<DispatchResult | Deferral<DeliverJob>> {
    return this.attempt(job.data);
  }

  /**
   * One attempt, queued or started in-process; `claimed` when routing created the delivery claimed
   * for it; `offTheWire` as for DispatchDelivery.
   */
  attempt(job: DeliverJob, claimed?: ClaimedDelivery, offTheWire?: () => void): Promise<DispatchResult | Deferral<DeliverJob>> {
    // A child of the routing span (or of the API request that asked for a retry), from the job's traceparent.
    const attributes = {
      [SpanAttribute.projectId]: job.projectId,
      [SpanAttribute.endpointId]: job.endpointId,
      [SpanAttribute.deliveryId]: job.deliveryId,
      [SpanAttribute.attempt]: job.attempt,
    };
    return inSpan('caravan.delivery.attempt', { kind: SpanKind.CONSUMER, attributes, parent: job.traceparent ?? null }, async (span) => {
      const outcome = await this.dispatch.execute(job, claimed, offTheWire);
      if (typeof outcome === 'string') {
        if (outcome !== 'sent') span?.setAttribute(SpanAttribute.outcome, outcome);
        return outcome;
      }
      caravanMetrics.deferrals.inc({ reason: outcome.reason });
      span?.setAttribute(SpanAttribute.outcome, outcome.reason);
      // Rate limit or open circuit: the same job waits, with no attempt counted or failed.
      const data = outcome.slotReserved && !job.rateLimitSlotReserved ? { ...job, rateLimitSlotReserved: true } : job;
      return new Deferral(outcome.deferMs, data);
    });
  }
}
