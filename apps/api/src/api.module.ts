import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { DeliveryModule, IngestRoutingModule } from '@caravan/delivery';
import { EndpointsModule } from '@caravan/endpoints';
import { EventTypesModule } from '@caravan/event-types';
import { EventsModule } from '@caravan/events';
import { HealthModule } from '@caravan/health';
import { MetaEventsModule } from '@caravan/meta-events';
import { ProjectsModule } from '@caravan/projects';
import { SourcesModule } from '@caravan/sources';
import { SubscriptionsModule } from '@caravan/subscriptions';
import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeysController } from './controllers/api-keys.controller';
import { DeliveriesController } from './controllers/deliveries.controller';
import { EndpointsController } from './controllers/endpoints.controller';
import { EventTypesController } from './controllers/event-types.controller';
import { EventsController } from './controllers/events.controller';
import { IngestController } from './controllers/ingest.controller';
import { MetaEventsController } from './controllers/meta-events.controller';
import { ProjectsController } from './controllers/projects.controller';
import { SourcesController } from './controllers/sources.controller';
import { SubscriptionsController } from './controllers/subscriptions.controller';

/** The control plane: HTTP in, use cases of the libs behind it. Needs the infrastructure modules beside it. */
@Module({
  imports: [ProjectsModule, EndpointsModule, SubscriptionsModule, EventTypesModule, EventsModule, DeliveryModule, IngestRoutingModule, MetaEventsModule, SourcesModule, HealthModule],
  controllers: [
    ProjectsController,
    ApiKeysController,
    EndpointsController,
    SubscriptionsController,
    EventTypesController,
    EventsController,
    DeliveriesController,
    SourcesController,
    MetaEventsController,
    IngestController,
  ],
  providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
})
export class ApiModule {}
