import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EndpointsModule } from '@caravan/endpoints';
import { EventTypesModule } from '@caravan/event-types';
import { ProjectsModule } from '@caravan/projects';
import { EventContentCache } from './cache/event-content-cache';
import { Event } from './entities/event.entity';
import { EventRepository } from './repositories/event.repository';
import { FindUnroutedEvents } from './usecases/find-unrouted-events/find-unrouted-events.usecase';
import { GetEvent } from './usecases/get-event/get-event.usecase';
import { IngestEvent } from './usecases/ingest-event/ingest-event.usecase';
import { ListEvents } from './usecases/list-events/list-events.usecase';
import { MarkEventRouted } from './usecases/mark-event-routed/mark-event-routed.usecase';

const USE_CASES = [FindUnroutedEvents, GetEvent, IngestEvent, ListEvents, MarkEventRouted];

@Module({
  imports: [TypeOrmModule.forFeature([Event]), EndpointsModule, EventTypesModule, ProjectsModule],
  providers: [EventRepository, EventContentCache, ...USE_CASES],
  exports: USE_CASES,
})
export class EventsModule {}
