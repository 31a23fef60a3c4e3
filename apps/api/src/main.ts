import { ConfigError, loadConfig } from '@caravan/common';
import { describeApi, startApi } from './start-api';

async function main(): Promise<void> {
  const api = await startApi(loadConfig());
  console.log(describeApi(api));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
