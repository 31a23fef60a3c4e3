import { Module } from '@nestjs/common';
import { ScheduledTaskRepository } from './repositories/scheduled-task.repository';
import { Scheduler } from './scheduler';

/** Periodic tasks that run once per deployment; the agent registers them. */
@Module({
  providers: [ScheduledTaskRepository, Scheduler],
  exports: [Scheduler],
})
export class SchedulerModule {}
