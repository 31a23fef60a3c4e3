import { Injectable, Logger } from '@nestjs/common';
import { MicroBatcher, newId, NotFoundError } from '@caravan/common';
import { GetProject, MetaEventType, ProjectConfig, wantsMetaEvent } from '@caravan/projects';
import { JobQueue } from '@caravan/queue';
import { MetaEventRepository, NewMetaEvent } from '../../repositories/meta-event.repository';

/** The resource a meta event is about, or a way to read it only when the event is wanted. */
export type MetaEventData = object | (() => Promise<object | null>);

/**
 * Records a meta event and queues its first attempt, when the project wants that type. Callers
 * have already done what the event reports, so a failure here is logged, never thrown: it must
 * not turn a saved endpoint or a recorded delivery into an error. Events emitted together (many
 * deliveries finishing at once) are stored in one statement and queued in one call.
 */
@Injectable()
export class EmitMetaEvent {
  private readonly logger = new Logger(EmitMetaEvent.name);
  private readonly batcher = new MicroBatcher<NewMetaEvent, void>(async (rows) => {
    await this.metaEvents.insertMany(rows);
    // Stored: from here on the sweeper sends them even if this nudge is lost.
    await this.queue
      .sendMetaEvents(rows.map((row) => ({ projectId: row.projectId, metaEventId: row.id, attempt: 1 })))
      .catch((error: unknown) => this.logger.warn(`meta events not queued (${String(error)}); the sweeper will send them`));
    return rows.map(() => undefined);
  });

  constructor(
    private readonly metaEvents: MetaEventRepository,
    private readonly getProject: GetProject,
    private readonly queue: JobQueue,
  ) {}

  /** Reads the project's settings (at most a second old) to decide. */
  async execute(projectId: string, type: MetaEventType, data: MetaEventData): Promise<void> {
    let config: ProjectConfig;
    try {
      config = (await this.getProject.recent(projectId)).config;
    } catch (error) {
      // A project deleted meanwhile has nobody to tell.
      if (!(error instanceof NotFoundError)) this.logger.warn(`meta event ${type} of project ${projectId} not recorded: ${String(error)}`);
      return;
    }
    await this.withConfig(projectId, config, type, data);
  }

  /** For hot paths with the settings in hand: unless the type is wanted, no I/O at all. */
  async withConfig(projectId: string, config: ProjectConfig, type: MetaEventType, data: MetaEventData): Promise<void> {
    if (!wantsMetaEvent(config, type)) return;
    try {
      const resource = typeof data === 'function' ? await data() : data;
      if (!resource) return;
      await this.batcher.add({ id: newId(), projectId, eventType: type, payload: JSON.stringify({ event_type: type, data: resource }) });
    } catch (error) {
      this.logger.warn(`meta event ${type} of project ${projectId} not recorded: ${String(error)}`);
    }
  }

  /** Whether the project wants this type now, for callers that must read the resource beforehand (a deletion). */
  async wants(projectId: string, type: MetaEventType): Promise<boolean> {
    const project = await this.getProject.recent(projectId).catch(() => null);
    return project !== null && wantsMetaEvent(project.config, type);
  }
}
