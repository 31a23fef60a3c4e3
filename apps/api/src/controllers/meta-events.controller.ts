import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { toPageRequest } from '@caravan/common';
import {
  GetMetaEvent,
  ListMetaEvents,
  ListMetaEventsQueryDto,
  MetaEventAttemptResponse,
  MetaEventResponse,
  MetaEventWithAttemptsResponse,
  ResendMetaEvent,
} from '@caravan/meta-events';
import { ApiPage, ApiStandardErrors, ErrorResponse } from './api-docs';
import { API_PREFIX, IdPipe } from './id.pipe';

const metaEventId = () => Param('meta_event_id', new IdPipe('meta_event_id'));

@ApiTags('meta events')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller(`${API_PREFIX}/projects/:project_id/meta-events`)
export class MetaEventsController {
  constructor(
    private readonly listMetaEvents: ListMetaEvents,
    private readonly getMetaEvent: GetMetaEvent,
    private readonly resendMetaEvent: ResendMetaEvent,
  ) {}

  @Get()
  @ApiPage(MetaEventResponse)
  @ApiOperation({ operationId: 'listMetaEvents', summary: 'List meta events' })
  list(@Param('project_id') projectId: string, @Query() query: ListMetaEventsQueryDto) {
    return this.listMetaEvents.execute(projectId, toPageRequest(query), { status: query.status, eventType: query.event_type });
  }

  @Get(':meta_event_id')
  @ApiOkResponse({ type: MetaEventWithAttemptsResponse })
  @ApiOperation({ operationId: 'getMetaEvent', summary: 'Get a meta event with its attempts' })
  get(@Param('project_id') projectId: string, @metaEventId() id: string): Promise<MetaEventWithAttemptsResponse> {
    return this.getMetaEvent.execute(projectId, id);
  }

  @Get(':meta_event_id/attempts')
  @ApiExtraModels(MetaEventAttemptResponse)
  @ApiOperation({ operationId: 'listMetaEventAttempts', summary: "List a meta event's attempts" })
  @ApiOkResponse({ schema: { type: 'object', properties: { data: { type: 'array', items: { $ref: getSchemaPath(MetaEventAttemptResponse) } } } } })
  async attempts(@Param('project_id') projectId: string, @metaEventId() id: string): Promise<{ data: MetaEventAttemptResponse[] }> {
    return { data: (await this.getMetaEvent.execute(projectId, id)).attempts };
  }

  @Post(':meta_event_id/resend')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'resendMetaEvent',
    summary: 'Resend a meta event',
    description: 'Sends it again now, whatever its status, as one more attempt.',
  })
  @ApiOkResponse({ type: MetaEventResponse, description: 'Due now and queued.' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'The meta event has an attempt in flight.' })
  resend(@Param('project_id') projectId: string, @metaEventId() id: string): Promise<MetaEventResponse> {
    return this.resendMetaEvent.execute(projectId, id);
  }
}
