export * from './events.module';
export type { Event } from './entities/event.entity';
export * from './dtos/event.dto';
export * from './usecases/find-unrouted-events/find-unrouted-events.usecase';
export * from './usecases/get-event/get-event.usecase';
export * from './usecases/ingest-event/ingest-event.usecase';
export * from './usecases/list-events/list-events.usecase';
export * from './usecases/mark-event-routed/mark-event-routed.usecase';
