import { idBoundAt } from '@caravan/common';

/** A project's `config.retention` as stored: null follows the instance default. */
export interface ProjectRetention {
  events_days: number | null;
  deliveries_days: number | null;
}

export interface RetentionPolicy {
  eventsDays: number;
  deliveriesDays: number;
}

/** Rows whose id is below these bounds (ids are UUIDv7, so below means created earlier) have expired. */
export interface RetentionCutoffs {
  eventsBeforeId: string;
  deliveriesBeforeId: string;
}

const DAY_MS = 86_400_000;

/**
 * Fills in the instance default and keeps deliveries no longer than their events: deleting an
 * event deletes its deliveries, so a longer delivery retention could not be honoured anyway.
 */
export function effectiveRetention(project: ProjectRetention | undefined, defaultDays: number): RetentionPolicy {
  const eventsDays = project?.events_days ?? defaultDays;
  const deliveriesDays = Math.min(project?.deliveries_days ?? defaultDays, eventsDays);
  return { eventsDays, deliveriesDays };
}

export function retentionCutoffs(policy: RetentionPolicy, now: Date): RetentionCutoffs {
  return {
    eventsBeforeId: idBoundAt(new Date(now.getTime() - policy.eventsDays * DAY_MS), 'lowest'),
    deliveriesBeforeId: idBoundAt(new Date(now.getTime() - policy.deliveriesDays * DAY_MS), 'lowest'),
  };
}
