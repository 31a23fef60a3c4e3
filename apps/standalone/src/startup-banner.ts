import * as path from 'node:path';
import { CaravanConfig, redactUrl } from '@caravan/common';
import { rootKeyLines, RunningApi } from '../../api/src/start-api';

/** What a person starting Caravan needs to see, in a few lines. */
export function startupBanner(config: CaravanConfig, api: RunningApi): string {
  const lines = [
    `Caravan ${config.version}: API and agent running in one process`,
    `  API    ${api.url}/api/v1`,
    `  Docs   ${api.url}/docs`,
  ];
  if (config.storage === 'embedded') {
    lines.push(
      `  Data   ${path.resolve(config.dataDir)} (embedded PostgreSQL; queue in memory, rebuilt from the database at start)`,
      '',
      'This is the embedded mode: one process, for local use, demos and tests. To run several processes or in',
      'production, set DATABASE_URL and REDIS_URL to use PostgreSQL and Redis (see the README).',
    );
  } else {
    lines.push(`  Data   PostgreSQL ${redactUrl(config.database.url)}, Redis ${redactUrl(config.redis.url)}`);
  }
  if (api.rootKey.origin === 'generated-now') lines.push(...rootKeyLines(api.rootKey.key));
  return lines.join('\n');
}
