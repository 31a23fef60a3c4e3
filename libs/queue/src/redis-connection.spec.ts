import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadConfig } from '@caravan/common';
import { redisOptions } from './redis-connection';

const external = { CARAVAN_STORAGE: 'external' };

describe('redisOptions', () => {
  it('connects to the URL host, with its credentials, db and TLS, when no Sentinels are set', () => {
    const options = redisOptions(
      loadConfig({ ...external, REDIS_URL: 'rediss://user:p%40ss@cache.internal:6380/3' }).redis,
    );
    assert.equal(options.host, 'cache.internal');
    assert.equal(options.port, 6380);
    assert.equal(options.username, 'user');
    assert.equal(options.password, 'p@ss');
    assert.equal(options.db, 3);
    assert.deepEqual(options.tls, {});
    assert.equal(options.sentinels, undefined);
  });

  it('asks the Sentinels for the master and keeps only credentials, db and TLS from the URL', () => {
    const options = redisOptions(
      loadConfig({
        ...external,
        REDIS_URL: 'rediss://:secret@ignored.example:7000/2',
        REDIS_SENTINELS: 'sentinel-0.redis:26379,10.0.0.7,[fd00::7]:5000',
        REDIS_SENTINEL_NAME: 'caravan-master',
        REDIS_SENTINEL_PASSWORD: 'sentinel-secret',
      }).redis,
    );
    assert.deepEqual(options.sentinels, [
      { host: 'sentinel-0.redis', port: 26379 },
      { host: '10.0.0.7', port: 26379 },
      { host: 'fd00::7', port: 5000 },
    ]);
    assert.equal(options.name, 'caravan-master');
    assert.equal(options.sentinelPassword, 'sentinel-secret');
    assert.equal(options.password, 'secret');
    assert.equal(options.db, 2);
    assert.equal(options.enableTLSForSentinelMode, true);
    assert.equal(options.host, undefined, 'the URL host is not used');
    assert.equal(options.port, undefined);
    assert.equal(options.maxRetriesPerRequest, null, 'BullMQ workers still get blocking connections');
  });

  it('reconnects and resends a write refused by a demoted master, and nothing else', () => {
    const { reconnectOnError } = redisOptions(
      loadConfig({ ...external, REDIS_SENTINELS: '127.0.0.1:26379' }).redis,
    );
    assert.ok(reconnectOnError);
    assert.equal(reconnectOnError(new Error("READONLY You can't write against a read only replica.")), 2);
    assert.equal(
      reconnectOnError(new Error('WRONGTYPE Operation against a key holding the wrong kind of value')),
      false,
    );
  });
});
