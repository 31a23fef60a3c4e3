import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProjectsModule } from '@caravan/projects';
import { MetaEventAttempt } from './entities/meta-event-attempt.entity';
import { MetaEvent } from './entities/meta-event.entity';
import { MetaEventRepository } from './repositories/meta-event.repository';
import { ClaimMetaEvent } from './usecases/claim-meta-event/claim-meta-event.usecase';
import { EmitMetaEvent } from './usecases/emit-meta-event/emit-meta-event.usecase';
import { GetMetaEvent } from './usecases/get-meta-event/get-meta-event.usecase';
import { ListMetaEvents } from './usecases/list-meta-events/list-meta-events.usecase';
import { RecordMetaEventAttempt } from './usecases/record-meta-event-attempt/record-meta-event-attempt.usecase';
import { ResendMetaEvent } from './usecases/resend-meta-event/resend-meta-event.usecase';
import { SweepMetaEvents } from './usecases/sweep-meta-events/sweep-meta-events.usecase';

const USE_CASES = [
  ClaimMetaEvent,
  EmitMetaEvent,
  GetMetaEvent,
  ListMetaEvents,
  RecordMetaEventAttempt,
  ResendMetaEvent,
  SweepMetaEvents,
];

/**
 * Meta events: stored, listed, resent and swept here. Endpoints and delivery emit them through
 * EmitMetaEvent; delivery sends them (DispatchMetaEvent), with the same signing, HTTP client and
 * retry policy as deliveries.
 */
@Module({
  imports: [TypeOrmModule.forFeature([MetaEvent, MetaEventAttempt]), ProjectsModule],
  providers: [MetaEventRepository, ...USE_CASES],
  exports: USE_CASES,
})
export class MetaEventsModule {}
