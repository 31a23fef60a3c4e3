import { Body, Controller, Delete, Get, HttpCode, Injectable, Param, Patch, PipeTransform, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { InvalidInputError, toPageRequest } from '@caravan/common';
import {
  CreateEventType,
  CreateEventTypeDto,
  DeleteEventType,
  EVENT_TYPE_NAME,
  EVENT_TYPE_NAME_RULE,
  EventTypeResponse,
  GetEventType,
  ListEventTypes,
  ListEventTypesQueryDto,
  presentEventType,
  UpdateEventType,
  UpdateEventTypeDto,
} from '@caravan/event-types';
import { ApiPage, ApiStandardErrors, ErrorResponse } from './api-docs';
import { API_PREFIX } from './id.pipe';

/** A malformed name in the path is a 400, like a malformed id, not a lookup that finds nothing. */
@Injectable()
class EventTypeNamePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!EVENT_TYPE_NAME.test(value)) throw new InvalidInputError(`name must be ${EVENT_TYPE_NAME_RULE}`, 'name');
    return value;
  }
}

const eventTypeName = () => Param('name', new EventTypeNamePipe());

@ApiTags('event types')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller(`${API_PREFIX}/projects/:project_id/event-types`)
export class EventTypesController {
  constructor(
    private readonly createEventType: CreateEventType,
    private readonly listEventTypes: ListEventTypes,
    private readonly getEventType: GetEventType,
    private readonly updateEventType: UpdateEventType,
    private readonly deleteEventType: DeleteEventType,
  ) {}

  @Post()
  @ApiOperation({
    operationId: 'createEventType',
    summary: 'Register an event type',
    description:
      'With a `schema`, every event of this type sent from then on (events API, HTTP and broker sources) must match it: ' +
      'the events API and HTTP sources answer 400 naming the path (`data.amount`), broker messages are kept as ingest errors.',
  })
  @ApiCreatedResponse({ type: EventTypeResponse })
  @ApiConflictResponse({ type: ErrorResponse, description: 'An event type of this name is registered already.' })
  async create(@Param('project_id') projectId: string, @Body() body: CreateEventTypeDto): Promise<EventTypeResponse> {
    return presentEventType(await this.createEventType.execute(projectId, body));
  }

  @Get()
  @ApiPage(EventTypeResponse)
  @ApiOperation({ operationId: 'listEventTypes', summary: 'List event types' })
  list(@Param('project_id') projectId: string, @Query() query: ListEventTypesQueryDto) {
    return this.listEventTypes.execute(projectId, toPageRequest(query), query.category);
  }

  @Get(':name')
  @ApiOkResponse({ type: EventTypeResponse })
  @ApiOperation({ operationId: 'getEventType', summary: 'Get an event type' })
  async get(@Param('project_id') projectId: string, @eventTypeName() name: string): Promise<EventTypeResponse> {
    return presentEventType(await this.getEventType.execute(projectId, name));
  }

  @Patch(':name')
  @ApiOperation({
    operationId: 'updateEventType',
    summary: 'Change an event type', description: 'A changed schema applies to the next event (other processes: within a second).',
  })
  @ApiOkResponse({ type: EventTypeResponse })
  async update(
    @Param('project_id') projectId: string,
    @eventTypeName() name: string,
    @Body() body: UpdateEventTypeDto,
  ): Promise<EventTypeResponse> {
    return presentEventType(await this.updateEventType.execute(projectId, name, body));
  }

  @Delete(':name')
  @HttpCode(204)
  @ApiOperation({ operationId: 'deleteEventType', summary: 'Delete an event type' })
  @ApiNoContentResponse({ description: 'Removed from the catalogue; events of the type are kept, and new ones are no longer checked.' })
  async remove(@Param('project_id') projectId: string, @eventTypeName() name: string): Promise<void> {
    await this.deleteEventType.execute(projectId, name);
  }
}
