import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ReplayEvent, ReplayEventResponse } from '@caravan/delivery';
import { CreateEventDto, EventResponse, GetEvent, IngestEvent, ListEvents, ListEventsQueryDto, presentEvent } from '@caravan/events';
import type { FastifyReply } from 'fastify';
import { ApiPage, ApiStandardErrors } from './api-docs';
import { API_PREFIX, IdPipe } from './id.pipe';

@ApiTags('events')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller(`${API_PREFIX}/projects/:project_id/events`)
export class EventsController {
  constructor(
    private readonly ingestEvent: IngestEvent,
    private readonly listEvents: ListEvents,
    private readonly getEvent: GetEvent,
    private readonly replayEvent: ReplayEvent,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ type: EventResponse, description: 'Stored durably; deliveries follow.' })
  @ApiOkResponse({ type: EventResponse, description: 'idempotency_key seen before: the first event, with Idempotent-Replayed: true.' })
  @ApiOperation({
    operationId: 'createEvent',
    summary: 'Send an event: Caravan stores it and delivers it to the matching endpoints',
  })
  async create(
    @Param('project_id') projectId: string,
    @Body() body: CreateEventDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EventResponse> {
    const { event, replayed } = await this.ingestEvent.execute(projectId, body);
    if (replayed) void reply.status(200).header('Idempotent-Replayed', 'true');
    return presentEvent(event);
  }

  @Get()
  @ApiPage(EventResponse)
  @ApiOperation({ operationId: 'listEvents', summary: 'List and search events', description: 'Every filter given narrows the list (AND), newest first.' })
  list(@Param('project_id') projectId: string, @Query() query: ListEventsQueryDto) {
    return this.listEvents.execute(projectId, query);
  }

  @Get(':event_id')
  @ApiOkResponse({ type: EventResponse })
  @ApiOperation({ operationId: 'getEvent', summary: 'Get an event' })
  async get(@Param('project_id') projectId: string, @Param('event_id', new IdPipe('event_id')) id: string): Promise<EventResponse> {
    return presentEvent(await this.getEvent.execute(projectId, id));
  }

  @Post(':event_id/replay')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'replayEvent',
    summary: "Send the event again now to every endpoint it has a delivery for (not to one with an attempt in flight).",
  })
  @ApiAcceptedResponse({ type: ReplayEventResponse, description: 'Deliveries made due now and queued; an event not routed yet is routed.' })
  replay(@Param('project_id') projectId: string, @Param('event_id', new IdPipe('event_id')) id: string): Promise<ReplayEventResponse> {
    return this.replayEvent.execute(projectId, id);
  }
}
