import { DynamicModule, Module } from '@nestjs/common';
import { CaravanConfig } from '@caravan/common';
import { DeliveryModule, IngestRoutingModule } from '@caravan/delivery';
import { HealthModule } from '@caravan/health';
import { MetaEventsModule } from '@caravan/meta-events';
import { RetentionModule } from '@caravan/retention';
import { SchedulerModule } from '@caravan/scheduler';
import { SourcesModule } from '@caravan/sources';
import { BrokerSupervisor } from './broker-supervisor';
import { InlineFirstAttempts } from './processors/inline-first-attempts';
import { configuredProcessors } from './processors/processors';
import { ScheduledJobs } from './scheduled-jobs';

/** The data plane: queue processors and periodic jobs. Needs the infrastructure modules beside it. */
@Module({})
export class AgentModule {
  static forRoot(config: CaravanConfig): DynamicModule {
    return {
      module: AgentModule,
      imports: [DeliveryModule, IngestRoutingModule, MetaEventsModule, SourcesModule, RetentionModule, SchedulerModule, HealthModule],
      providers: [...configuredProcessors(config), InlineFirstAttempts, ScheduledJobs, BrokerSupervisor],
    };
  }
}
