import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './caravan-config';

describe('loadConfig', () => {
  it('has defaults that point at local Postgres and Redis', () => {
    const config = loadConfig({});
    assert.equal(config.database.url, 'postgres://postgres@127.0.0.1:5432/caravan');
    assert.equal(config.redis.url, 'redis://127.0.0.1:6379/0');
    assert.equal(config.api.port, 5005);
    assert.equal(config.agent.port, 5006);
    assert.equal(config.database.migrate, true);
    assert.equal(config.auth.rootApiKey, null);
    assert.equal(config.api.bodyLimitBytes, 1048576);
  });

  it('turns migrations off by default in production', () => {
    assert.equal(loadConfig({ CARAVAN_ENV: 'production' }).database.migrate, false);
  });

  it('names every invalid variable in one error', () => {
    assert.throws(
      () => loadConfig({ CARAVAN_API_PORT: 'abc', REDIS_URL: 'http://x', CARAVAN_MIGRATE: 'maybe' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(error.problems.length, 3);
        assert.match(error.message, /CARAVAN_API_PORT must be an integer/);
        assert.match(error.message, /REDIS_URL must use redis: or rediss:/);
        assert.match(error.message, /CARAVAN_MIGRATE must be true or false/);
        return true;
      },
    );
  });

  it('rejects a root key too short to be safe', () => {
    assert.throws(() => loadConfig({ CARAVAN_ROOT_API_KEY: 'short' }), /CARAVAN_ROOT_API_KEY/);
  });

  it('does not echo credentials of an unparsable database URL', () => {
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'postgres://user:secret@host:notaport/db' }),
      (error: unknown) => !String(error).includes('secret'),
    );
  });
});
