import { Injectable } from '@nestjs/common';
import { Page, toPage, toPageRequest } from '@caravan/common';
import { FindEndpoints } from '@caravan/endpoints';
import { DeliveryResponse, ListDeliveriesQueryDto, presentDelivery } from '../../dtos/delivery.dto';
import { DeliveryRepository } from '../../repositories/delivery.repository';

/** Searches a project's deliveries: every filter of the query narrows the page, newest first. */
@Injectable()
export class ListDeliveries {
  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly endpoints: FindEndpoints,
  ) {}

  async execute(projectId: string, query: ListDeliveriesQueryDto): Promise<Page<DeliveryResponse>> {
    const page = toPageRequest(query);
    let endpointIds = query.endpoint_id ? [query.endpoint_id] : undefined;
    if (query.owner_id !== undefined) {
      // An owner has a few endpoints; their ids keep the search on the deliveries table alone.
      const owned = await this.endpoints.idsOfOwner(projectId, query.owner_id);
      endpointIds = endpointIds ? endpointIds.filter((id) => owned.includes(id)) : owned;
    }
    if (endpointIds?.length === 0) return { data: [], next_cursor: null };
    const rows = await this.deliveries.listPage(projectId, page, {
      status: query.status?.length ? query.status : undefined,
      endpointIds,
      eventId: query.event_id,
      eventTypes: query.event_type?.length ? query.event_type : undefined,
      idempotencyKey: query.idempotency_key,
      createdAfter: query.created_after ? new Date(query.created_after) : undefined,
      createdBefore: query.created_before ? new Date(query.created_before) : undefined,
    });
    return toPage(rows, page, presentDelivery);
  }
}
