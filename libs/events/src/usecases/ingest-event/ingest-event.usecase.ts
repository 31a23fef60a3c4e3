import { Injectable, Logger, Optional } from '@nestjs/common';
import { currentTraceparent, inSpan, InvalidInputError, MicroBatcher, newId, NotFoundError, SpanAttribute } from '@caravan/common';
import { FindEndpoints } from '@caravan/endpoints';
import { ValidateEventData } from '@caravan/event-types';
import { GetProject } from '@caravan/projects';
import { JobQueue, RouteEventJob } from '@caravan/queue';
import { validateCustomHeaders } from '../../custom-headers';
import { CreateEventDto } from '../../dtos/event.dto';
import { EventContentCache } from '../../cache/event-content-cache';
import { Event } from '../../entities/event.entity';
import { EventRepository } from '../../repositories/event.repository';
import { recordIngested } from '../../telemetry/ingest-telemetry';
import { EventToStore, IngestRouter, StoredRouted } from './ingest-router';

/**
 * Events that arrive within this share one INSERT. Those of one event-loop turn only, at 500 to
 * 1,000 events/s each event had a statement of its own: 2 ms more at most per request took
 * PostgreSQL's CPU from 42 % to 33 % and the api's p99 from 27-42 ms to 16-21 ms at 500/s.
 */
const INSERT_WINDOW_MS = 2;

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
  // Requests a moment apart share one INSERT and one queue round trip; each still answers after its own row is stored.
  private readonly inserts = new MicroBatcher<EventToStore, Stored | Error>((events) => this.insertBatch(events), 500, INSERT_WINDOW_MS);
  // The events one INSERT stored (those of INSERT_WINDOW_MS) travel in one routing job or message:
  // they all reach this in one event-loop turn, so a window here would only add that wait again.
  private readonly nudges = new MicroBatcher<RouteEventJob, void>(
    async (jobs) => {
      await this.queue.routeEvents(jobs);
      return jobs.map(() => undefined);
    },
    500,
  );

  constructor(
    private readonly events: EventRepository,
    private readonly endpoints: FindEndpoints,
    private readonly queue: JobQueue,
    private readonly getProject: GetProject,
    private readonly recent: EventContentCache,
    private readonly validateEventData: ValidateEventData,
    @Optional() private readonly router?: IngestRouter,
  ) {}

  execute(projectId: string, command: CreateEventDto, origin?: EventOrigin): Promise<IngestResult> {
    // The span whose traceparent the routing job carries: the trace goes on to every delivery attempt.
    const attributes = { [SpanAttribute.projectId]: projectId, [SpanAttribute.eventType]: command.event_type, [SpanAttribute.sourceId]: origin?.sourceId ?? 'api' };
    return inSpan('caravan.ingest', { attributes }, () => this.ingest(projectId, command, origin));
  }

  private async ingest(projectId: string, command: CreateEventDto, origin?: EventOrigin): Promise<IngestResult> {
    let routed: StoredRouted | null = null;
    if (command.endpoint_id && command.owner_id) {
      throw new InvalidInputError('give endpoint_id or owner_id, not both', 'owner_id');
    }
    const customHeaders = validateCustomHeaders(command.custom_headers);
    // From memory, no query (see ValidateEventData). Before the idempotency check, so a repeat sent
    // after its type's schema changed is checked against the new schema.
    await this.validateEventData.execute(projectId, command.event_type, command.data);
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

    if (event.idempotencySlot) {
      const window = (await this.getProject.execute(projectId)).config.idempotency_window_seconds;
      if (!(await this.events.insertUnlessDuplicate(event, window).catch(projectGone))) {
        const first = await this.events.findByIdempotencySlot(projectId, event.idempotencySlot);
        if (first) return { event: first, replayed: true };
        throw new Error('idempotency conflict without a stored event');
      }
    } else {
      const stored = await this.inserts.add({ event, data: command.data });
      if (stored instanceof Error) throw stored;
      event.createdAt = stored.createdAt;
      if (stored.routed) {
        event.routedAt = event.createdAt;
        routed = stored.routed;
      }
    }
    // Where api and agent share a process, its deliveries need not read it back.
    this.recent.remember(event);
    recordIngested(event);

    // Routed as stored and for nobody: there is nothing left to do.
    if (routed && routed.deliveries.length === 0) return { event, replayed: false };
    const job = { projectId, eventId: event.id, traceparent: currentTraceparent(), ...(routed ? { routed: { claimedAt: routed.claimedAt, deliveries: routed.deliveries } } : {}) };
    await this.nudges.add(job).catch((error: unknown) => {
      this.logger.warn(`event ${event.id} stored but not queued (${String(error)}); the sweeper will ${routed ? 'send its deliveries' : 'route it'}`);
    });
    return { event, replayed: false };
  }

  /**
   * The events the router takes are stored routed, in one statement; the others unrouted, in
   * another. If a statement fails, its events are stored one by one, so one bad row fails only
   * its own request.
   */
  private async insertBatch(items: EventToStore[]): Promise<(Stored | Error)[]> {
    const routable = items.map((item) => this.router?.routes(item) ?? false);
    const [routed, unrouted] = await Promise.all([
      storeTogetherOrEach(items.filter((_, i) => routable[i]), (batch) => this.storeRouted(batch)),
      storeTogetherOrEach(items.filter((_, i) => !routable[i]), (batch) => this.storeUnrouted(batch)),
    ]);
    let nextRouted = 0;
    let nextUnrouted = 0;
    return routable.map((isRoutable) => (isRoutable ? routed[nextRouted++] : unrouted[nextUnrouted++]));
  }

  /** Routing must not cost an event its 202: if it fails, the events are stored for an agent to route. */
  private storeRouted(batch: EventToStore[]): Promise<Stored[]> {
    return this.router!.storeRouted(batch).then(
      (stored) => stored.map((routed) => ({ createdAt: routed.createdAt, routed })),
      () => this.storeUnrouted(batch),
    );
  }

  private async storeUnrouted(batch: EventToStore[]): Promise<Stored[]> {
    const dates = await this.events.insertMany(batch.map((item) => item.event));
    return dates.map((createdAt) => ({ createdAt, routed: null }));
  }
}

interface Stored {
  createdAt: Date;
  /** Set when the event was routed as it was stored. */
  routed: StoredRouted | null;
}

/** One statement for the batch; if that fails, each item alone, so one bad row fails only its own request. */
async function storeTogetherOrEach<T, R>(batch: T[], store: (batch: T[]) => Promise<R[]>): Promise<(R | Error)[]> {
  if (batch.length > 1) {
    const stored = await store(batch).catch(() => null);
    if (stored) return stored;
  }
  return Promise.all(batch.map((item) => store([item]).then((one) => one[0], insertError)));
}

/** A key cached for a few seconds may outlive its project; the insert then meets the foreign key. */
function insertError(error: unknown): Error {
  if ((error as { code?: string }).code === '23503') return NotFoundError.of('project', 'project_id');
  return error instanceof Error ? error : new Error(String(error));
}

function projectGone(error: unknown): never {
  throw insertError(error);
}
