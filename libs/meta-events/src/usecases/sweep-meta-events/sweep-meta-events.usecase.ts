import { Inject, Injectable } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import { JobQueue } from '@caravan/queue';
import { MetaEventRepository } from '../../repositories/meta-event.repository';

const BATCH = 1000;

/**
 * As SweepPendingWork for deliveries: finds meta events that are due but have no job (the queue
 * lost it, an agent died mid-attempt, a queue call failed) and queues them again. Job ids are
 * deterministic, so one that does have a job is not queued twice.
 */
@Injectable()
export class SweepMetaEvents {
  constructor(
    private readonly metaEvents: MetaEventRepository,
    private readonly queue: JobQueue,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  async execute(): Promise<number> {
    const due = await this.metaEvents.findDue(new Date(Date.now() - this.config.agent.sweepGraceMs), BATCH);
    await this.queue.sendMetaEvents(
      due.map((metaEvent) => ({
        projectId: metaEvent.projectId,
        metaEventId: metaEvent.id,
        // A processing meta event whose lock expired repeats its attempt; others start the next one.
        attempt: metaEvent.status === 'processing' ? metaEvent.attemptCount : metaEvent.attemptCount + 1,
      })),
    );
    return due.length;
  }
}
