import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CaravanConfig, childEnvironment, CleanupStack, ConfigError, Interruption, loadConfig, redactUrl } from '@caravan/common';
import { CaravanApi } from './caravan-api';
import { CaravanChild } from './caravan-child';
import { DemoScenario } from './demo-scenario';
import { EchoReceiver } from './echo-receiver';

/**
 * `npm run demo`: starts Caravan and a local receiver, sends a few events through the API and shows
 * them arriving as signed webhooks, then stops everything it started.
 */

const CARAVAN_START_TIMEOUT_MS = 60_000;
const DELIVERY_TIMEOUT_MS = 30_000;

const cleanup = new CleanupStack();
let caravan: CaravanChild | null = null;
const interruption = new Interruption();

const say = (line = '') => console.log(line);

async function runDemo(): Promise<number> {
  const startedAt = Date.now();
  say('Caravan demo: events in through the API, signed webhooks out to a local receiver.');

  // A throwaway data directory and keys of its own, so the demo never touches the user's setup.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'caravan-demo-'));
  cleanup.add('remove the demo data directory', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const rootKey = `demo_root_${randomBytes(24).toString('base64url')}`;
  // DATABASE_URL and REDIS_URL are left as the user set them: unset means the embedded mode.
  const env = childEnvironment({
    CARAVAN_ENV: 'development', // production refuses loopback receivers such as the demo's
    CARAVAN_DATA_DIR: dataDir,
    CARAVAN_API_PORT: '0',
    CARAVAN_ROOT_API_KEY: rootKey,
    CARAVAN_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    CARAVAN_LOG_LEVEL: 'warn',
  });
  // The same check Caravan makes at boot, made here to say what is wrong before starting anything.
  const config = loadConfig(env);

  say(`\nStarting Caravan (${describeStorage(config)})...`);
  const child = CaravanChild.spawn(env);
  caravan = child;
  cleanup.add('stop Caravan', () => child.stop());
  const url = await child.ready(CARAVAN_START_TIMEOUT_MS);
  say(`  Caravan API    ${url}/api/v1   (up in ${seconds(Date.now() - startedAt)})`);

  const receiver = await EchoReceiver.start();
  cleanup.add('stop the receiver', () => receiver.stop());
  say(`  receiver       ${receiver.url}`);

  const scenario = new DemoScenario(new CaravanApi(url, rootKey), receiver, say);
  if (config.storage === 'external') {
    cleanup.add('remove the demo project from your database', () => scenario.removeProject());
  }

  say('\nSetting up through the API:');
  await scenario.setUp();

  say('\nSending events; the receiver prints each webhook as it arrives:');
  await scenario.sendEvents();
  const settled = await scenario.awaitDeliveries(DELIVERY_TIMEOUT_MS);

  say(`\nDeliveries as Caravan's API reports them (GET .../deliveries/{id}):`);
  const worked = await scenario.report();
  if (!settled) {
    say(`\nThe deliveries did not all finish within ${DELIVERY_TIMEOUT_MS / 1000} s.`);
    printCaravanOutput();
    return 1;
  }
  if (!worked) {
    say('\nSomething did not go as expected: see the lines above.');
    printCaravanOutput();
    return 1;
  }

  say(`\nThat was the whole loop, in ${seconds(Date.now() - startedAt)}. Next:`);
  say(
    '  npm start                          run Caravan and keep it running (API and docs on http://127.0.0.1:5005)',
  );
  say('  http://127.0.0.1:5005/docs         the API reference (Swagger UI), while Caravan runs');
  say('  README.md, "Quickstart"            the same steps by hand with curl');
  say('  README.md, "How delivery works"    signatures, retries, filters, replay');
  return 0;
}

function describeStorage(config: CaravanConfig): string {
  if (config.storage === 'embedded') return 'embedded: no PostgreSQL or Redis, data in a temporary directory';
  return `PostgreSQL ${redactUrl(config.database.url)}, Redis ${redactUrl(config.redis.url)}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function printCaravanOutput(): void {
  const tail = caravan?.outputTail();
  if (!tail) return;
  say("\nCaravan's last output:");
  say(tail.replace(/^/gm, '  | '));
}

async function finish(code: number): Promise<never> {
  if (caravan) say('\nStopping Caravan and the receiver...');
  await cleanup.run();
  if (caravan) say('Stopped.');
  process.exit(code);
}


interruption.listen((signal) => {
  say(`\n${signal === 'SIGINT' ? 'Interrupted' : signal}: cleaning up (Ctrl-C again to quit at once).`);
  void finish(130);
});

runDemo()
  .catch((error: unknown) => {
    // After Ctrl-C, calls fail because Caravan is stopping: that is not worth reporting.
    if (interruption.happened) return new Promise<number>(() => undefined);
    if (error instanceof ConfigError) {
      say(`\nCaravan cannot start with this environment. ${error.message}`);
      return 1;
    }
    say(`\nThe demo failed: ${error instanceof Error ? error.message : String(error)}`);
    printCaravanOutput();
    return 1;
  })
  .then((code) => (interruption.happened ? undefined : finish(code)));
