import { ConfigError, loadConfig } from '@caravan/common';
import { startAgent } from './start-agent';

async function main(): Promise<void> {
  const agent = await startAgent(loadConfig());
  console.log(`Caravan agent running; health: ${agent.url}/health/ready`);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
