/** What a search of one project's events asks for; every field narrows it (AND). */
export interface EventFilter {
  /** Any of these types. */
  eventTypes?: string[];
  /** Addressed to this endpoint, or with a delivery to it. */
  endpointId?: string;
  ownerId?: string;
  sourceId?: string;
  idempotencyKey?: string;
  /** Inclusive. */
  createdAfter?: Date;
  /** Exclusive. */
  createdBefore?: Date;
  /** Full text over the payload, in web search syntax. */
  text?: string;
  /** JSON text the payload must contain (jsonb `@>`). */
  dataContains?: string;
}
