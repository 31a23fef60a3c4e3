import { ConfigError, loadConfig, requireExternalStorage, startTracing } from '@caravan/common';
import { startAgent } from './start-agent';

async function main(): Promise<void> {
  const config = loadConfig();
  requireExternalStorage(config, 'agent');
  await startTracing(config, { serviceName: 'caravan-agent' });
  const agent = await startAgent(config);
  console.log(`Caravan agent running; health: ${agent.url}/health/ready`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
