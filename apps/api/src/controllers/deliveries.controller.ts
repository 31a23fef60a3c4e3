import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import {
  AttemptResponse,
  BatchRetryCountResponse,
  BatchRetryFilterDto,
  BatchRetryStartedResponse,
  CountBatchRetry,
  DeliveryResponse,
  DeliveryWithAttemptsResponse,
  ForceResendDeliveries,
  ForceResendDto,
  ForceResendResponse,
  GetDelivery,
  ListDeliveries,
  ListDeliveriesQueryDto,
  RetryDelivery,
  StartBatchRetry,
} from '@caravan/delivery';
import { ApiPage, ApiStandardErrors, ErrorResponse } from './api-docs';
import { API_PREFIX, IdPipe } from './id.pipe';

const deliveryId = () => Param('delivery_id', new IdPipe('delivery_id'));

@ApiTags('deliveries')
@ApiBearerAuth()
@ApiStandardErrors()
@Controller(`${API_PREFIX}/projects/:project_id/deliveries`)
export class DeliveriesController {
  constructor(
    private readonly listDeliveries: ListDeliveries,
    private readonly getDelivery: GetDelivery,
    private readonly retryDelivery: RetryDelivery,
    private readonly forceResendDeliveries: ForceResendDeliveries,
    private readonly countBatchRetry: CountBatchRetry,
    private readonly startBatchRetry: StartBatchRetry,
  ) {}

  @Get()
  @ApiPage(DeliveryResponse)
  @ApiOperation({ operationId: 'listDeliveries', summary: 'List and search deliveries', description: 'Every filter given narrows the list (AND), newest first.' })
  list(@Param('project_id') projectId: string, @Query() query: ListDeliveriesQueryDto) {
    return this.listDeliveries.execute(projectId, query);
  }

  // Fixed paths are declared before the `:delivery_id` routes, so they are never read as an id.
  @Post('force_resend')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'forceResendDeliveries',
    summary: 'Send deliveries again now, successful ones included, as their next attempt.',
  })
  @ApiOkResponse({ type: ForceResendResponse })
  forceResend(@Param('project_id') projectId: string, @Body() body: ForceResendDto): Promise<ForceResendResponse> {
    return this.forceResendDeliveries.execute(projectId, body);
  }

  @Post('batch_retry/count')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'countBatchRetry',
    summary: 'How many deliveries a batch retry with this filter would resend.',
  })
  @ApiOkResponse({ type: BatchRetryCountResponse })
  countBatch(@Param('project_id') projectId: string, @Body() body: BatchRetryFilterDto): Promise<BatchRetryCountResponse> {
    return this.countBatchRetry.execute(projectId, body);
  }

  @Post('batch_retry')
  @HttpCode(202)
  @ApiOperation({
    operationId: 'startBatchRetry',
    summary: 'Resend every delivery the filter selects (default: status failure), in the background.',
  })
  @ApiAcceptedResponse({ type: BatchRetryStartedResponse, description: 'Counted and queued; the agent resends them in batches.' })
  @ApiServiceUnavailableResponse({ type: ErrorResponse, description: 'The queue cannot be reached; nothing was started.' })
  startBatch(@Param('project_id') projectId: string, @Body() body: BatchRetryFilterDto): Promise<BatchRetryStartedResponse> {
    return this.startBatchRetry.execute(projectId, body);
  }

  @Get(':delivery_id')
  @ApiOkResponse({ type: DeliveryWithAttemptsResponse })
  @ApiOperation({ operationId: 'getDelivery', summary: 'Get a delivery with its attempts' })
  get(@Param('project_id') projectId: string, @deliveryId() id: string): Promise<DeliveryWithAttemptsResponse> {
    return this.getDelivery.execute(projectId, id);
  }

  @Get(':delivery_id/attempts')
  @ApiExtraModels(AttemptResponse)
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['data'],
      properties: { data: { type: 'array', items: { $ref: getSchemaPath(AttemptResponse) } } },
    },
  })
  @ApiOperation({ operationId: 'listDeliveryAttempts', summary: "List a delivery's attempts" })
  async attempts(@Param('project_id') projectId: string, @deliveryId() id: string): Promise<{ data: AttemptResponse[] }> {
    return { data: await this.getDelivery.attempts(projectId, id) };
  }

  @Post(':delivery_id/retry')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'retryDelivery',
    summary: 'Send the next attempt of a failed, retrying or scheduled delivery now.',
  })
  @ApiOkResponse({ type: DeliveryResponse, description: 'Due now and queued.' })
  @ApiConflictResponse({
    type: ErrorResponse,
    description: 'The delivery succeeded or was discarded (use force_resend), or has an attempt in flight.',
  })
  retry(@Param('project_id') projectId: string, @deliveryId() id: string): Promise<DeliveryResponse> {
    return this.retryDelivery.execute(projectId, id);
  }
}
