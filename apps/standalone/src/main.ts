import { CaravanConfig, ConfigError, loadConfig, startTracing } from '@caravan/common';
import { DataDirLockedError, EmbeddedPostgres } from '@caravan/database';
import { AgentModule } from '../../agent/src/agent.module';
import { RunningApi, startApi } from '../../api/src/start-api';
import { startupBanner } from './startup-banner';

/** `npm start`: the api and the agent in one process; with no DATABASE_URL and REDIS_URL, on embedded storage. */
async function main(): Promise<void> {
  const loaded = loadConfig();
  await startTracing(loaded, { serviceName: 'caravan' });
  if (loaded.storage === 'external') {
    const api = await startApi(loaded, [AgentModule.forRoot(loaded)]);
    console.log(startupBanner(loaded, api));
    return;
  }

  const database = await EmbeddedPostgres.start(loaded.dataDir);
  const config: CaravanConfig = { ...loaded, database: { ...loaded.database, url: database.url } };
  let api: RunningApi;
  try {
    api = await startApi(config, [AgentModule.forRoot(config)], { closeOnSignals: false });
  } catch (error) {
    await database.stop();
    throw error;
  }
  closeOnSignals(async () => {
    await api.app.close();
    await database.stop();
  });
  console.log(startupBanner(config, api));
}

/** The app first, then the database under it; a second signal exits at once. */
function closeOnSignals(close: () => Promise<void>): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) process.exit(1);
    closing = true;
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`stopping after ${signal} failed:`, error);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError || error instanceof DataDirLockedError ? error.message : error);
  process.exit(1);
});
