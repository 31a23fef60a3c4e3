import { Injectable, Logger } from '@nestjs/common';
import { InvalidInputError, newId, NotFoundError } from '@caravan/common';
import { FindEndpoints } from '@caravan/endpoints';
import { GetProject } from '@caravan/projects';
import { JobQueue } from '@caravan/queue';
import { validateCustomHeaders } from '../../custom-headers';
import { CreateEventDto } from '../../dtos/event.dto';
import { Event } from '../../entities/event.entity';
import { EventRepository } from '../../repositories/event.repository';

/** Where an event came from when a source, not the events API, received it. */
export interface EventOrigin {
  sourceId: string;
  /** The data as the source received it (JSON text of `data`), stored and delivered instead of a re-serialisation. */
  payload?: string;
}

export interface IngestResult {
  event: Event;
  /** True when the idempotency key was seen before and the first event is returned. */
  replayed: boolean;
}

/**
 * Persists an event, then nudges the agent. The event is durable once this returns; if the
 * queue cannot be reached the sweeper routes it later, so the caller still gets 202.
 */
@Injectable()
export class IngestEvent {
  private readonly logger = new Logger(IngestEvent.name);

  constructor(
    private readonly events: EventRepository,
    private readonly endpoints: FindEndpoints,
    private readonly queue: JobQueue,
    private readonly getProject: GetProject,
  ) {}

  async execute(projectId: string, command: CreateEventDto, origin?: EventOrigin): Promise<IngestResult> {
    if (command.endpoint_id && command.owner_id) {
      throw new InvalidInputError('give endpoint_id or owner_id, not both', 'owner_id');
    }
    const customHeaders = validateCustomHeaders(command.custom_headers);
    if (command.endpoint_id && !(await this.endpoints.byId(projectId, command.endpoint_id))) {
      throw NotFoundError.of('endpoint', 'endpoint_id');
    }

    const event = new Event();
    event.id = newId();
    event.projectId = projectId;
    event.eventType = command.event_type;
    event.payload = origin?.payload ?? JSON.stringify(command.data);
    event.customHeaders = customHeaders;
    event.endpointId = command.endpoint_id ?? null;
    event.ownerId = command.owner_id ?? null;
    event.sourceId = origin?.sourceId ?? null;
    event.idempotencyKey = command.idempotency_key ?? null;
    // A source's keys are its sender's (delivery ids): they must not collide with the API's or another source's.
    event.idempotencySlot = event.idempotencyKey && origin ? `source:${origin.sourceId}:${event.idempotencyKey}` : event.idempotencyKey;
    event.routedAt = null;

    const window = event.idempotencyKey ? (await this.getProject.execute(projectId)).config.idempotency_window_seconds : 0;
    if (!(await this.events.insertUnlessDuplicate(event, window))) {
      const first = await this.events.findByIdempotencySlot(projectId, event.idempotencySlot!);
      if (first) return { event: first, replayed: true };
      throw new Error('idempotency conflict without a stored event');
    }

    await this.queue.routeEvents([{ projectId, eventId: event.id }]).catch((error: unknown) => {
      this.logger.warn(`event ${event.id} stored but not queued (${String(error)}); the sweeper will route it`);
    });
    return { event, replayed: false };
  }
}
