/** The tables whose rows ConfigChanges announces (see the config-change-notifications migration). */
export type ConfigTable = 'projects' | 'endpoints' | 'subscriptions';

export interface ConfigChange {
  table: ConfigTable;
  projectId: string;
  id: string;
}

/** Called with a changed row, or with null when anything may have changed (the feed was interrupted). */
export type ConfigChangeListener = (change: ConfigChange | null) => void;

/**
 * Committed changes to projects, endpoints and subscriptions, made by any process. A cache of
 * them may keep a value only while the feed is `live`: then every change reaches it within
 * milliseconds of its commit. When it is not (embedded storage, listening switched off, the
 * connection lost), readers must read the database.
 */
export abstract class ConfigChanges {
  abstract readonly live: boolean;

  /** Starts listening on first use, so a process that caches nothing holds no extra connection. */
  abstract subscribe(listener: ConfigChangeListener): void;
}

/** No feed: nothing may be cached. */
export class NoConfigChanges extends ConfigChanges {
  readonly live = false;

  subscribe(): void {}
}

export const CONFIG_CHANGES_CHANNEL = 'caravan_config_changes';

/** `<table>:<project id>:<row id>`, as the trigger writes it; null for anything else. */
export function parseConfigChange(payload: string): ConfigChange | null {
  const [table, projectId, id, ...rest] = payload.split(':');
  if (rest.length > 0 || !projectId || !id) return null;
  if (table !== 'projects' && table !== 'endpoints' && table !== 'subscriptions') return null;
  return { table, projectId, id };
}
