import { Provider } from '@nestjs/common';
import { CaravanConfig } from '@caravan/common';
import { QueueHandlers, QueueName, queueWorkers } from '@caravan/queue';
import { DeliveryProcessor } from './delivery.processor';
import { MaintenanceProcessor } from './maintenance.processor';
import { MetaEventProcessor } from './meta-event.processor';
import { RouteEventProcessor } from './route-event.processor';

/** One processor per queue (the Record type makes a missing one a compile error), run by the configured queue. */
export function configuredProcessors(config: CaravanConfig): Provider[] {
  const handlers: QueueHandlers = {
    [QueueName.Routing]: { handler: RouteEventProcessor, concurrency: config.agent.routingConcurrency },
    [QueueName.Delivery]: { handler: DeliveryProcessor, concurrency: config.agent.deliveryConcurrency },
    [QueueName.Maintenance]: { handler: MaintenanceProcessor, concurrency: config.agent.maintenanceConcurrency },
    // Meta events are HTTP sends like deliveries, to one URL per project.
    [QueueName.MetaEvents]: { handler: MetaEventProcessor, concurrency: config.agent.deliveryConcurrency },
  };
  return queueWorkers(config, handlers);
}
