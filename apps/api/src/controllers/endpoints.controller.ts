import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto, toPageRequest } from '@caravan/common';
import { ReleaseEndpointBacklog } from '@caravan/delivery';
import {
  ActivateEndpoint,
  CreateEndpoint,
  CreateEndpointDto,
  DeleteEndpoint,
  EndpointResponse,
  EndpointSecretResponse,
  ExpireEndpointSecret,
  ExpireSecretDto,
  GetEndpoint,
  GetEndpointSecret,
  ListEndpoints,
  PauseEndpoint,
  presentEndpoint,
  UpdateEndpoint,
  UpdateEndpointDto,
} from '@caravan/endpoints';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ApiPage, ApiStandardErrors } from './api-docs';
import { API_PREFIX, IdPipe } from './id.pipe';

class ListEndpointsQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  owner_id?: string;
}

const endpointId = () => Param('endpoint_id', new IdPipe('endpoint_id'));

@ApiTags('endpoints')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller(`${API_PREFIX}/projects/:project_id/endpoints`)
export class EndpointsController {
  constructor(
    private readonly createEndpoint: CreateEndpoint,
    private readonly listEndpoints: ListEndpoints,
    private readonly getEndpoint: GetEndpoint,
    private readonly updateEndpoint: UpdateEndpoint,
    private readonly deleteEndpoint: DeleteEndpoint,
    private readonly pauseEndpoint: PauseEndpoint,
    private readonly activateEndpoint: ActivateEndpoint,
    private readonly releaseBacklog: ReleaseEndpointBacklog,
    private readonly getEndpointSecret: GetEndpointSecret,
    private readonly expireEndpointSecret: ExpireEndpointSecret,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: EndpointResponse })
  @ApiOperation({ operationId: 'createEndpoint', summary: 'Create an endpoint' })
  async create(@Param('project_id') projectId: string, @Body() body: CreateEndpointDto): Promise<EndpointResponse> {
    return presentEndpoint(await this.createEndpoint.execute(projectId, body));
  }

  @Get()
  @ApiPage(EndpointResponse)
  @ApiOperation({ operationId: 'listEndpoints', summary: 'List endpoints' })
  list(@Param('project_id') projectId: string, @Query() query: ListEndpointsQueryDto) {
    return this.listEndpoints.execute(projectId, toPageRequest(query), query.owner_id);
  }

  @Get(':endpoint_id')
  @ApiOkResponse({ type: EndpointResponse })
  @ApiOperation({ operationId: 'getEndpoint', summary: 'Get an endpoint' })
  async get(@Param('project_id') projectId: string, @endpointId() id: string): Promise<EndpointResponse> {
    return presentEndpoint(await this.getEndpoint.execute(projectId, id));
  }

  @Patch(':endpoint_id')
  @ApiOkResponse({ type: EndpointResponse })
  @ApiOperation({ operationId: 'updateEndpoint', summary: 'Update an endpoint' })
  async update(
    @Param('project_id') projectId: string,
    @endpointId() id: string,
    @Body() body: UpdateEndpointDto,
  ): Promise<EndpointResponse> {
    return presentEndpoint(await this.updateEndpoint.execute(projectId, id, body));
  }

  @Delete(':endpoint_id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted with its subscriptions and deliveries; events stay.' })
  @ApiOperation({
    operationId: 'deleteEndpoint',
    summary: 'Delete an endpoint with its subscriptions and deliveries',
  })
  async remove(@Param('project_id') projectId: string, @endpointId() id: string): Promise<void> {
    await this.deleteEndpoint.execute(projectId, id);
  }

  @Post(':endpoint_id/pause')
  @HttpCode(200)
  @ApiOkResponse({ type: EndpointResponse, description: 'New deliveries wait until the endpoint is activated.' })
  @ApiOperation({ operationId: 'pauseEndpoint', summary: 'Pause an endpoint: new deliveries wait' })
  async pause(@Param('project_id') projectId: string, @endpointId() id: string): Promise<EndpointResponse> {
    return presentEndpoint(await this.pauseEndpoint.execute(projectId, id));
  }

  @Post(':endpoint_id/activate')
  @HttpCode(200)
  @ApiOperation({ operationId: 'activateEndpoint', summary: 'Activate a paused or disabled endpoint' })
  @ApiOkResponse({ type: EndpointResponse, description: 'Sends the deliveries that waited.' })
  async activate(@Param('project_id') projectId: string, @endpointId() id: string): Promise<EndpointResponse> {
    const endpoint = await this.activateEndpoint.execute(projectId, id);
    await this.releaseBacklog.execute(projectId, id);
    return presentEndpoint(endpoint);
  }

  // A route with two paths would get one operationId twice in the OpenAPI document (and two
  // numbered SDK functions), so the alias is its own, deprecated, operation.
  @Post(':endpoint_id/resume')
  @HttpCode(200)
  @ApiOperation({ operationId: 'resumeEndpoint', summary: 'Same as activateEndpoint', deprecated: true })
  @ApiOkResponse({ type: EndpointResponse, description: 'Sends the deliveries that waited.' })
  resume(@Param('project_id') projectId: string, @endpointId() id: string): Promise<EndpointResponse> {
    return this.activate(projectId, id);
  }

  @Post(':endpoint_id/expire_secret')
  @HttpCode(200)
  @ApiOkResponse({ type: EndpointResponse, description: 'A new current secret; the old ones sign beside it for expiration_hours.' })
  @ApiOperation({ operationId: 'expireEndpointSecret', summary: "Rotate an endpoint's signing secret" })
  async expireSecret(
    @Param('project_id') projectId: string,
    @endpointId() id: string,
    @Body() body: ExpireSecretDto,
  ): Promise<EndpointResponse> {
    return presentEndpoint(await this.expireEndpointSecret.execute(projectId, id, body));
  }

  @Get(':endpoint_id/secret')
  @ApiOkResponse({ type: EndpointSecretResponse })
  @ApiOperation({ operationId: 'getEndpointSecret', summary: "Get an endpoint's current signing secret" })
  secret(@Param('project_id') projectId: string, @endpointId() id: string): Promise<EndpointSecretResponse> {
    return this.getEndpointSecret.execute(projectId, id);
  }
}
