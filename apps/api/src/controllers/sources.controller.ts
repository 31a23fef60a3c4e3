import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CARAVAN_CONFIG, CaravanConfig, PageQueryDto, toPageRequest } from '@caravan/common';
import {
  CreateSource,
  CreateSourceDto,
  DeleteSource,
  GetSource,
  IngestErrorResponse,
  ListIngestErrors,
  ListSources,
  presentSource,
  Source,
  SourceResponse,
  UpdateSource,
  UpdateSourceDto,
} from '@caravan/sources';
import { ApiPage, ApiStandardErrors } from './api-docs';
import { API_PREFIX, IdPipe } from './id.pipe';

const sourceId = () => Param('source_id', new IdPipe('source_id'));

@ApiTags('sources')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller(`${API_PREFIX}/projects/:project_id/sources`)
export class SourcesController {
  constructor(
    private readonly createSource: CreateSource,
    private readonly listSources: ListSources,
    private readonly getSource: GetSource,
    private readonly updateSource: UpdateSource,
    private readonly deleteSource: DeleteSource,
    private readonly listIngestErrors: ListIngestErrors,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  @Post()
  @ApiCreatedResponse({
    type: SourceResponse,
    description: 'Secrets are stored encrypted and never returned.',
  })
  @ApiOperation({ operationId: 'createSource', summary: 'Create a source (incoming webhooks or a broker)' })
  async create(
    @Param('project_id') projectId: string,
    @Body() body: CreateSourceDto,
  ): Promise<SourceResponse> {
    return this.present(await this.createSource.execute(projectId, body));
  }

  @Get()
  @ApiPage(SourceResponse)
  @ApiOperation({ operationId: 'listSources', summary: 'List sources' })
  list(@Param('project_id') projectId: string, @Query() query: PageQueryDto) {
    return this.listSources.execute(projectId, toPageRequest(query));
  }

  @Get(':source_id')
  @ApiOkResponse({ type: SourceResponse })
  @ApiOperation({ operationId: 'getSource', summary: 'Get a source' })
  async get(@Param('project_id') projectId: string, @sourceId() id: string): Promise<SourceResponse> {
    return this.present(await this.getSource.execute(projectId, id));
  }

  @Patch(':source_id')
  @ApiOkResponse({ type: SourceResponse })
  @ApiOperation({ operationId: 'updateSource', summary: 'Update a source' })
  async update(
    @Param('project_id') projectId: string,
    @sourceId() id: string,
    @Body() body: UpdateSourceDto,
  ): Promise<SourceResponse> {
    return this.present(await this.updateSource.execute(projectId, id, body));
  }

  @Get(':source_id/ingest-errors')
  @ApiPage(IngestErrorResponse)
  @ApiOperation({
    operationId: 'listSourceIngestErrors',
    summary: 'List what a source received but could not turn into an event',
  })
  ingestErrors(@Param('project_id') projectId: string, @sourceId() id: string, @Query() query: PageQueryDto) {
    return this.listIngestErrors.execute(projectId, id, toPageRequest(query));
  }

  @Delete(':source_id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its subscriptions; its events stay.' })
  @ApiOperation({ operationId: 'deleteSource', summary: 'Delete a source' })
  async remove(@Param('project_id') projectId: string, @sourceId() id: string): Promise<void> {
    await this.deleteSource.execute(projectId, id);
  }

  private present(source: Source): SourceResponse {
    return presentSource(source, this.config.api.publicUrl);
  }
}
