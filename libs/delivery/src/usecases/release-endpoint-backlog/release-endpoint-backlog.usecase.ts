import { Injectable } from '@nestjs/common';
import { JobQueue } from '@caravan/queue';
import { CircuitBreaker } from '../../circuit-breaker/circuit-breaker';
import { DeliveryRepository } from '../../repositories/delivery.repository';

const BATCH = 1000;

/** After an endpoint is activated, sends the deliveries that waited for it, without waiting for the sweeper. */
@Injectable()
export class ReleaseEndpointBacklog {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly queue: JobQueue,
    private readonly breaker: CircuitBreaker,
  ) {}

  async execute(projectId: string, endpointId: string): Promise<number> {
    // A fresh start: the circuit that disabled the endpoint must not hold its backlog again.
    await this.breaker.reset(endpointId);
    let released = 0;
    let afterId: string | null = null;
    for (;;) {
      const due = await this.deliveries.makeDueNow(projectId, endpointId, afterId, BATCH);
      if (due.length === 0) return released;
      await this.queue.deliver(
        due.map((delivery) => ({ projectId, deliveryId: delivery.id, endpointId, attempt: delivery.attemptCount + 1 })),
      );
      released += due.length;
      afterId = due[due.length - 1].id;
    }
  }
}
