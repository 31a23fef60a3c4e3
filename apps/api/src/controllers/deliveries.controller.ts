import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { toPageRequest } from '@caravan/common';
import {
  AttemptResponse,
  DeliveryResponse,
  DeliveryWithAttemptsResponse,
  GetDelivery,
  ListDeliveries,
  ListDeliveriesQueryDto,
} from '@caravan/delivery';
import { ApiPage, ApiStandardErrors } from './api-docs';
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
  ) {}

  @Get()
  @ApiPage(DeliveryResponse)
  list(@Param('project_id') projectId: string, @Query() query: ListDeliveriesQueryDto) {
    return this.listDeliveries.execute(projectId, toPageRequest(query), {
      status: query.status,
      endpointId: query.endpoint_id,
      eventId: query.event_id,
    });
  }

  @Get(':delivery_id')
  @ApiOkResponse({ type: DeliveryWithAttemptsResponse })
  get(@Param('project_id') projectId: string, @deliveryId() id: string): Promise<DeliveryWithAttemptsResponse> {
    return this.getDelivery.execute(projectId, id);
  }

  @Get(':delivery_id/attempts')
  @ApiExtraModels(AttemptResponse)
  @ApiOkResponse({ schema: { type: 'object', properties: { data: { type: 'array', items: { $ref: getSchemaPath(AttemptResponse) } } } } })
  async attempts(@Param('project_id') projectId: string, @deliveryId() id: string): Promise<{ data: AttemptResponse[] }> {
    return { data: await this.getDelivery.attempts(projectId, id) };
  }
}
