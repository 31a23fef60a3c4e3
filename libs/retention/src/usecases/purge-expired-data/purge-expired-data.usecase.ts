import { Inject, Injectable } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig, toPageRequest } from '@caravan/common';
import { ListProjects } from '@caravan/projects';
import { FINISHED_STATUSES, FIRST_ID, PurgeRepository } from '../../repositories/purge.repository';
import { effectiveRetention, retentionCutoffs } from '../../retention-policy';

export interface PurgeReport {
  projects: number;
  events: number;
  deliveries: number;
  attempts: number;
  /** Delete statements run, each over at most CARAVAN_RETENTION_BATCH_SIZE rows. */
  batches: number;
}

const PROJECTS_PER_PAGE = 100;

/**
 * Deletes, project by project and in bounded batches, what the project's retention has let go:
 * finished deliveries (success, failure, discarded) with their attempts, then events with no
 * delivery left. Never a delivery still scheduled, processing or retrying, nor its event, nor an
 * event not routed yet. A stop request ends it between two batches.
 */
@Injectable()
export class PurgeExpiredData {
  constructor(
    private readonly listProjects: ListProjects,
    private readonly purge: PurgeRepository,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  async execute(signal?: AbortSignal): Promise<PurgeReport> {
    const report: PurgeReport = { projects: 0, events: 0, deliveries: 0, attempts: 0, batches: 0 };
    const now = new Date();
    let cursor: string | undefined;
    do {
      const page = await this.listProjects.execute(toPageRequest({ limit: PROJECTS_PER_PAGE, cursor }));
      for (const project of page.data) {
        if (signal?.aborted) return report;
        await this.purgeProject(project.id, effectiveRetention(project.config.retention, this.config.retention.defaultDays), now, report, signal);
        report.projects++;
      }
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
    return report;
  }

  private async purgeProject(
    projectId: string,
    policy: ReturnType<typeof effectiveRetention>,
    now: Date,
    report: PurgeReport,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    const limit = this.config.retention.batchSize;
    const cutoffs = retentionCutoffs(policy, now);
    // Deliveries first: an expired event goes only once its deliveries have.
    for (const status of FINISHED_STATUSES) {
      let afterId = FIRST_ID;
      for (;;) {
        if (signal?.aborted) return;
        const step = await this.purge.deleteFinishedDeliveries(projectId, status, afterId, cutoffs.deliveriesBeforeId, limit);
        report.deliveries += step.deliveries;
        report.attempts += step.attempts;
        if (step.scanned > 0) report.batches++;
        if (step.scanned < limit || !step.lastId) break;
        afterId = step.lastId;
      }
    }
    let afterId = FIRST_ID;
    for (;;) {
      if (signal?.aborted) return;
      const step = await this.purge.deleteExpiredEvents(projectId, afterId, cutoffs.eventsBeforeId, limit);
      report.events += step.events;
      if (step.scanned > 0) report.batches++;
      if (step.scanned < limit || !step.lastId) break;
      afterId = step.lastId;
    }
  }
}
