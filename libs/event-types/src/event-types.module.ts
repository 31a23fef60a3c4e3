import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EventType } from './entities/event-type.entity';
import { EventTypeRepository } from './repositories/event-type.repository';
import { CreateEventType } from './usecases/create-event-type/create-event-type.usecase';
import { DeleteEventType } from './usecases/delete-event-type/delete-event-type.usecase';
import { GetEventType } from './usecases/get-event-type/get-event-type.usecase';
import { ListEventTypes } from './usecases/list-event-types/list-event-types.usecase';
import { UpdateEventType } from './usecases/update-event-type/update-event-type.usecase';
import { ValidateEventData } from './usecases/validate-event-data/validate-event-data.usecase';

const USE_CASES = [CreateEventType, DeleteEventType, GetEventType, ListEventTypes, UpdateEventType, ValidateEventData];

@Module({
  imports: [TypeOrmModule.forFeature([EventType])],
  providers: [EventTypeRepository, ...USE_CASES],
  exports: USE_CASES,
})
export class EventTypesModule {}
