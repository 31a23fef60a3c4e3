import { Injectable, Logger } from '@nestjs/common';
import { currentTraceparent } from '@caravan/common';
import { DeliverJob, JobQueue } from '@caravan/queue';
import { ResentDelivery } from '../../repositories/delivery-selection';

/**
 * Queues the next attempt of deliveries just made due again. Postgres already records them as
 * due, so when Redis cannot be reached the sweeper sends them later and the caller need not fail.
 */
@Injectable()
export class QueueNextAttempts {
  private readonly logger = new Logger(QueueNextAttempts.name);

  constructor(private readonly queue: JobQueue) {}

  async execute(deliveries: ResentDelivery[]): Promise<void> {
    // A retry asked for through the API continues that request's trace.
    const traceparent = currentTraceparent();
    const job = (delivery: ResentDelivery): DeliverJob => ({
      projectId: delivery.projectId,
      deliveryId: delivery.id,
      endpointId: delivery.endpointId,
      attempt: delivery.attemptCount + 1,
      traceparent,
    });
    try {
      // Only a delivery that was waiting out its backoff has a delayed job to bring forward; a due
      // delivery's job may be held back on purpose (rate limit, open circuit) and keeps its time.
      await this.queue.deliverEarly(deliveries.filter((d) => d.wasBackingOff).map(job));
      await this.queue.deliver(deliveries.filter((d) => !d.wasBackingOff).map(job));
    } catch (error) {
      this.logger.warn(
        `${deliveries.length} delivery attempt(s) made due but not queued (${String(error)}); the sweeper will send them`,
      );
    }
  }
}
