/** Every queue Caravan uses. The agent refuses to boot when one has no processor or two. */
export enum QueueName {
  /** One job per event: match it to endpoints and create its deliveries. */
  Routing = 'routing',
  /** One job per delivery attempt: send it and record the attempt. */
  Delivery = 'delivery',
}

export interface RouteEventJob {
  projectId: string;
  eventId: string;
}

export interface DeliverJob {
  projectId: string;
  deliveryId: string;
  endpointId: string;
  /** The attempt this job is for; part of the job id so each attempt is enqueued once. */
  attempt: number;
}
