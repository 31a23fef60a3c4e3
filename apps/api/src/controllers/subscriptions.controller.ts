import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { PageQueryDto, toPageRequest } from '@caravan/common';
import {
  CreateSubscription,
  CreateSubscriptionDto,
  DeleteSubscription,
  GetSubscription,
  ListSubscriptions,
  presentSubscription,
  SubscriptionResponse,
  TestFilterDto,
  TestFilterResponse,
  TestSubscriptionFilter,
  UpdateSubscription,
  UpdateSubscriptionDto,
} from '@caravan/subscriptions';
import { IsOptional, IsUUID } from 'class-validator';
import { ApiPage, ApiStandardErrors } from './api-docs';
import { API_PREFIX, IdPipe } from './id.pipe';

class ListSubscriptionsQueryDto extends PageQueryDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsUUID('all', { message: 'endpoint_id must be an endpoint id' })
  endpoint_id?: string;
}

const subscriptionId = () => Param('subscription_id', new IdPipe('subscription_id'));

@ApiTags('subscriptions')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller(`${API_PREFIX}/projects/:project_id/subscriptions`)
export class SubscriptionsController {
  constructor(
    private readonly createSubscription: CreateSubscription,
    private readonly listSubscriptions: ListSubscriptions,
    private readonly getSubscription: GetSubscription,
    private readonly updateSubscription: UpdateSubscription,
    private readonly deleteSubscription: DeleteSubscription,
    private readonly testSubscriptionFilter: TestSubscriptionFilter,
  ) {}

  @Post()
  @ApiCreatedResponse({ type: SubscriptionResponse })
  @ApiOperation({ operationId: 'createSubscription', summary: 'Create a subscription' })
  async create(@Param('project_id') projectId: string, @Body() body: CreateSubscriptionDto): Promise<SubscriptionResponse> {
    return presentSubscription(await this.createSubscription.execute(projectId, body));
  }

  @Get()
  @ApiPage(SubscriptionResponse)
  @ApiOperation({ operationId: 'listSubscriptions', summary: 'List subscriptions' })
  list(@Param('project_id') projectId: string, @Query() query: ListSubscriptionsQueryDto) {
    return this.listSubscriptions.execute(projectId, toPageRequest(query), query.endpoint_id);
  }

  // Declared before the :subscription_id routes so the literal segment is never read as an id.
  @Post('test_filter')
  @HttpCode(200)
  // The guard checks project_id against the key; the handler does not read it.
  @ApiParam({ name: 'project_id', type: String })
  @ApiOperation({
    operationId: 'testSubscriptionFilter',
    summary: 'Tell whether an event with the given data and headers would pass a subscription filter',
  })
  @ApiOkResponse({ type: TestFilterResponse })
  testFilter(@Body() body: TestFilterDto): TestFilterResponse {
    return { matches: this.testSubscriptionFilter.execute(body) };
  }

  @Get(':subscription_id')
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiOperation({ operationId: 'getSubscription', summary: 'Get a subscription' })
  async get(@Param('project_id') projectId: string, @subscriptionId() id: string): Promise<SubscriptionResponse> {
    return presentSubscription(await this.getSubscription.execute(projectId, id));
  }

  @Patch(':subscription_id')
  @ApiOkResponse({ type: SubscriptionResponse })
  @ApiOperation({ operationId: 'updateSubscription', summary: 'Update a subscription' })
  async update(
    @Param('project_id') projectId: string,
    @subscriptionId() id: string,
    @Body() body: UpdateSubscriptionDto,
  ): Promise<SubscriptionResponse> {
    return presentSubscription(await this.updateSubscription.execute(projectId, id, body));
  }

  @Delete(':subscription_id')
  @HttpCode(204)
  @ApiNoContentResponse()
  @ApiOperation({ operationId: 'deleteSubscription', summary: 'Delete a subscription' })
  async remove(@Param('project_id') projectId: string, @subscriptionId() id: string): Promise<void> {
    await this.deleteSubscription.execute(projectId, id);
  }
}
