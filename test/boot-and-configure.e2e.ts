import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ApiClient } from './support/api-client';
import { CaravanProcess } from './support/caravan-process';
import { EMBEDDED, externalOnly, TestCaravan } from './support/test-caravan';

describe('booting Caravan: config, migrations, root key', () => {
  let caravan: TestCaravan;

  before(async () => {
    caravan = await TestCaravan.create();
  });

  after(async () => {
    await caravan?.destroy();
  });

  for (const kind of ['api', 'agent'] as const) {
    it(`stops the ${kind} at boot with a message naming each invalid variable`, async () => {
      const { code, output } = await CaravanProcess.runToExit(
        kind,
        caravan.environment({ CARAVAN_API_PORT: 'not-a-port', REDIS_URL: 'http://127.0.0.1:6379', CARAVAN_SWEEP_INTERVAL_SECONDS: '-1' }),
      );
      assert.equal(code, 1);
      assert.match(output, /CARAVAN_API_PORT must be an integer/);
      assert.match(output, /REDIS_URL must use redis: or rediss:/);
      assert.match(output, /CARAVAN_SWEEP_INTERVAL_SECONDS/);
    });
  }

  it('refuses to serve on an unmigrated database when migrations at boot are off', { skip: externalOnly('it always migrates at boot') }, async () => {
    const { code, output } = await CaravanProcess.runToExit('api', caravan.environment({ CARAVAN_MIGRATE: 'false' }));
    assert.equal(code, 1);
    assert.match(output, /schema is behind.*npm run migration:run/);
  });

  it('applies the schema with `npm run migration:run`, and a second run finds nothing to do', { skip: externalOnly('it migrates at boot') }, async () => {
    const first = await CaravanProcess.runToExit('migrate', caravan.environment());
    assert.equal(first.code, 0, first.output);
    assert.match(first.output, /applied: InitialSchema/);
    const second = await CaravanProcess.runToExit('migrate', caravan.environment());
    assert.equal(second.code, 0, second.output);
    assert.match(second.output, /no pending migrations/);
    const { rows } = await caravan.db.query(`SELECT to_regclass('public.delivery_attempts') AS t`);
    assert.equal(rows[0].t, 'delivery_attempts');
  });

  it('generates a root key on first start, prints it once, stores only its hash, and accepts it after a restart', async () => {
    const env = { CARAVAN_ROOT_API_KEY: '', CARAVAN_MIGRATE: 'false' };
    const kind = EMBEDDED ? 'standalone' : 'api';
    const first = await CaravanProcess.start(kind, caravan.environment(env), 40_000);
    const key = /(cvr_[a-z2-9]{8}_[A-Za-z0-9_-]{43})/.exec(first.output)?.[1];
    assert.ok(key, `a root key was printed:\n${first.output}`);
    assert.equal((await new ApiClient(first.url, key).get('/api/v1/projects')).status, 200);
    await first.stop();

    const { rows } = await caravan.query(`SELECT role, key_hash, row_to_json(api_keys)::text AS everything FROM api_keys`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].role, 'root');
    assert.equal(rows[0].key_hash, createHash('sha256').update(key).digest('hex'));
    const secretPart = key.slice(key.indexOf('_', 4) + 1); // cvr_<prefix>_<secret>; the secret may hold '_'
    assert.equal(secretPart.length, 43);
    assert.ok(!rows[0].everything.includes(secretPart), 'the secret part is not stored');

    const second = await CaravanProcess.start(kind, caravan.environment(env), 40_000);
    try {
      assert.ok(!second.output.includes(key), 'the key is printed only once');
      assert.doesNotMatch(second.output, /cvr_/);
      assert.equal((await new ApiClient(second.url, key).get('/api/v1/projects')).status, 200);
      assert.equal((await new ApiClient(second.url, `${key}x`).get('/api/v1/projects')).status, 401);
    } finally {
      await second.stop();
    }
  });

  it('serves liveness and readiness on the agent, checking Postgres and Redis (the in-process queue when embedded)', async () => {
    const agent = await caravan.startAgent();
    const live = await new ApiClient(agent.url).get('/health/live');
    assert.equal(live.status, 200);
    const ready = await new ApiClient(agent.url).get('/health/ready');
    assert.equal(ready.status, 200);
    assert.equal(ready.body.info.postgres.status, 'up');
    assert.equal(ready.body.info[EMBEDDED ? 'queue' : 'redis'].status, 'up');
  });
});
