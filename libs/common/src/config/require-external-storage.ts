import { CaravanConfig, ConfigError } from './caravan-config';

/**
 * Processes that run alone (api, agent, migrations) share state through PostgreSQL and Redis; the
 * embedded mode keeps it inside one process, so only `npm start` can use it.
 */
export function requireExternalStorage(config: CaravanConfig, processName: string): void {
  if (config.storage === 'external') return;
  throw new ConfigError([
    `the ${processName} runs on its own only with PostgreSQL and Redis: set DATABASE_URL and REDIS_URL. ` +
      'With neither set, Caravan runs in the embedded mode, where `npm start` runs the api and the agent in one process.',
  ]);
}
