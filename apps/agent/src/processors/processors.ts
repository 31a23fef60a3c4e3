import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Type } from '@nestjs/common';
import { CaravanConfig } from '@caravan/common';
import { QueueName } from '@caravan/queue';
import { DeliveryProcessor } from './delivery.processor';
import { MaintenanceProcessor } from './maintenance.processor';
import { RouteEventProcessor } from './route-event.processor';

/** One processor per queue; the Record type makes a missing or second one a compile error. */
const PROCESSORS: Record<QueueName, Type<WorkerHost>> = {
  [QueueName.Routing]: RouteEventProcessor,
  [QueueName.Delivery]: DeliveryProcessor,
  [QueueName.Maintenance]: MaintenanceProcessor,
};

/**
 * Applies @Processor with settings from the config. Worker options are decorator metadata in
 * @nestjs/bullmq, so they are set here, once, before Nest instantiates the processors.
 */
export function configuredProcessors(config: CaravanConfig): Type<WorkerHost>[] {
  const queues = Object.values(QueueName);
  const missing = queues.filter((queue) => !PROCESSORS[queue]);
  if (missing.length > 0) throw new Error(`no processor for queue(s): ${missing.join(', ')}`);

  const concurrency: Record<QueueName, number> = {
    [QueueName.Routing]: config.agent.routingConcurrency,
    [QueueName.Delivery]: config.agent.deliveryConcurrency,
    [QueueName.Maintenance]: config.agent.maintenanceConcurrency,
  };
  return queues.map((queue) => {
    const processor = PROCESSORS[queue];
    Processor(queue, {
      concurrency: concurrency[queue],
      lockDuration: config.agent.queueLockMs,
      stalledInterval: config.agent.queueLockMs,
      maxStalledCount: 5,
    })(processor);
    return processor;
  });
}
