import { ConfigError, loadConfig, requireExternalStorage, startTracing } from '@caravan/common';
import { describeApi, startApi } from './start-api';

async function main(): Promise<void> {
  const config = loadConfig();
  requireExternalStorage(config, 'api');
  await startTracing(config, { serviceName: 'caravan-api' });
  const api = await startApi(config);
  console.log(describeApi(api));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
