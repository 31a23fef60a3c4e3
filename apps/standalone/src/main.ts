import { ConfigError, loadConfig } from '@caravan/common';
import { AgentModule } from '../../agent/src/agent.module';
import { describeApi, startApi } from '../../api/src/start-api';

/** `npm start`: the api and the agent in one process, for local use. */
async function main(): Promise<void> {
  const config = loadConfig();
  const api = await startApi(config, [AgentModule.forRoot(config)]);
  const redact = (url: string) => url.replace(/\/\/[^@/]*@/, '//***@');
  console.log(describeApi(api));
  console.log(`API and agent in one process. Postgres: ${redact(config.database.url)}   Redis: ${redact(config.redis.url)}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
