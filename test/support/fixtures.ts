import * as assert from 'node:assert/strict';
import { ApiClient } from './api-client';
import { waitFor } from './wait-for';

export const FAST_RETRY = { strategy: 'linear', interval_seconds: 0.2, retry_count: 3, max_interval_seconds: 1 };

export async function createEndpoint(client: ApiClient, projectId: string, body: Record<string, unknown>): Promise<any> {
  const response = await client.post(`/api/v1/projects/${projectId}/endpoints`, body);
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

export async function subscribe(client: ApiClient, projectId: string, endpointId: string, eventTypes: string[]): Promise<any> {
  const response = await client.post(`/api/v1/projects/${projectId}/subscriptions`, { endpoint_id: endpointId, event_types: eventTypes });
  assert.equal(response.status, 201, JSON.stringify(response.body));
  return response.body;
}

export async function sendEvent(client: ApiClient, projectId: string, body: Record<string, unknown>): Promise<any> {
  const response = await client.post(`/api/v1/projects/${projectId}/events`, body);
  assert.equal(response.status, 202, JSON.stringify(response.body));
  return response.body;
}

export async function deliveriesOf(client: ApiClient, projectId: string, eventId: string): Promise<any[]> {
  const response = await client.get(`/api/v1/projects/${projectId}/deliveries?event_id=${eventId}&limit=100`);
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.data;
}

/** Waits until the event has been routed, then until each of its deliveries reached a final status. */
export async function settledDeliveries(client: ApiClient, projectId: string, eventId: string, timeoutMs = 15_000): Promise<any[]> {
  await waitFor(
    `event ${eventId} to be routed`,
    async () => (await client.get(`/api/v1/projects/${projectId}/events/${eventId}`)).body.routed_at,
    timeoutMs,
  );
  return waitFor(
    `deliveries of ${eventId} to settle`,
    async () => {
      const deliveries = await deliveriesOf(client, projectId, eventId);
      return deliveries.every((d) => ['success', 'failure', 'discarded'].includes(d.status)) && deliveries;
    },
    timeoutMs,
  );
}
