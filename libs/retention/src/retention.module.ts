import { Module } from '@nestjs/common';
import { ProjectsModule } from '@caravan/projects';
import { PurgeRepository } from './repositories/purge.repository';
import { PurgeExpiredData } from './usecases/purge-expired-data/purge-expired-data.usecase';

/** Retention policies and the purge that applies them; the agent runs the purge on its scheduler. */
@Module({
  imports: [ProjectsModule],
  providers: [PurgeRepository, PurgeExpiredData],
  exports: [PurgeExpiredData],
})
export class RetentionModule {}
