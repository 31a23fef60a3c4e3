import { Injectable } from '@nestjs/common';
import { RedisConnection } from './redis-connection.provider';
import { RouteEventJob, RouteEventsJob } from './queue-names';

/** A message carries the routed events of one ingest flush, up to this many. */
export const HANDOFF_BATCH = 100;

/**
 * Hands the events the api routed as it stored them to the agents over a plain Redis list: one
 * LPUSH here, one BRPOP in an agent (RoutedHandoffWorker). A BullMQ job costs about 60 Redis
 * commands and several script runs on both sides, which at a few events per flush was most of
 * the api's and the agent's work per event. These events need none of what a job adds: their
 * deliveries are already in PostgreSQL, claimed for the first attempt, so a message lost with a
 * crashed agent costs only time: the sweeper sends those deliveries once their claims run out.
 */
@Injectable()
export class RoutedHandoff {
  readonly key: string;

  constructor(private readonly redis: RedisConnection) {
    this.key = redis.key('routed-events');
  }

  async push(events: RouteEventJob[]): Promise<void> {
    if (events.length === 0) return;
    const messages: string[] = [];
    for (let i = 0; i < events.length; i += HANDOFF_BATCH) {
      messages.push(JSON.stringify({ events: events.slice(i, i + HANDOFF_BATCH) } satisfies RouteEventsJob));
    }
    await this.redis.client.lpush(this.key, ...messages);
  }

  /** Messages no agent has taken yet, and when the oldest one's deliveries were claimed (null when none wait). */
  async waiting(): Promise<{ messages: number; oldestClaimedAt: number | null }> {
    const [messages, oldest] = await Promise.all([this.redis.client.llen(this.key), this.redis.client.lindex(this.key, -1)]);
    return { messages, oldestClaimedAt: oldest === null ? null : oldestClaim(oldest) };
  }
}

function oldestClaim(message: string): number | null {
  const { events } = JSON.parse(message) as RouteEventsJob;
  const claims = events.flatMap((event) => (event.routed ? [event.routed.claimedAt] : []));
  return claims.length > 0 ? Math.min(...claims) : null;
}
