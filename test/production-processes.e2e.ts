import { after, before, describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ApiClient } from './support/api-client';
import { CaravanProcess } from './support/caravan-process';
import { ExternalTestCaravan, externalOnly, TestCaravan } from './support/test-caravan';
import { waitFor } from './support/wait-for';

// What the Helm chart relies on: in production, only the processes that seal secrets are given the
// encryption key; the egress proxy and the migrations Job run without it.
describe('production processes and the encryption key', () => {
  let caravan: TestCaravan;
  const production = { CARAVAN_ENV: 'production', CARAVAN_ENCRYPTION_KEY: '', CARAVAN_HOST: '127.0.0.1' };

  before(async () => {
    caravan = await TestCaravan.create();
  });

  after(async () => {
    await caravan?.destroy();
  });

  it('starts the egress proxy with production rules and no encryption key', async () => {
    const egress = await CaravanProcess.start('egress', { ...production, CARAVAN_EGRESS_PORT: '0' });
    try {
      await waitFor('the policy line', () => /allow-listed: nothing; ports: 80, 443/.test(egress.output));
      assert.equal((await new ApiClient(egress.url).get('/health/ready')).status, 200);
    } finally {
      await egress.stop();
    }
  });

  it(
    "migrates with only the database URL, as the chart's migrations Job does",
    { skip: externalOnly('the embedded mode migrates at every start') },
    async () => {
      const { code, output } = await CaravanProcess.runToExit('migrate', {
        ...production,
        CARAVAN_STORAGE: 'external',
        DATABASE_URL: (caravan as ExternalTestCaravan).databaseUrl,
        REDIS_URL: '',
      });
      assert.equal(code, 0, output);
      assert.match(output, /applied: InitialSchema/);
    },
  );

  it('still refuses to start the api in production without the key', async () => {
    const { code, output } = await CaravanProcess.runToExit('api', caravan.environment(production));
    assert.equal(code, 1);
    assert.match(output, /CARAVAN_ENCRYPTION_KEY is required in production/);
  });
});
