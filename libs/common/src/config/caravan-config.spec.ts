import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ConfigError, loadConfig } from './caravan-config';

describe('loadConfig', () => {
  it('is embedded when neither DATABASE_URL nor REDIS_URL is set, with one connection and migrations on', () => {
    const config = loadConfig({});
    assert.equal(config.storage, 'embedded');
    assert.equal(config.database.url, '');
    assert.equal(config.database.poolSize, 1);
    assert.equal(config.dataDir, './.caravan/data');
    assert.equal(loadConfig({ CARAVAN_MIGRATE: 'false' }).database.migrate, true);
  });

  it('uses PostgreSQL and Redis when both URLs are set, and refuses only one of them', () => {
    const both = loadConfig({ DATABASE_URL: 'postgres://db.internal/caravan', REDIS_URL: 'redis://cache.internal:6380' });
    assert.equal(both.storage, 'external');
    assert.equal(both.database.poolSize, 10);
    assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://db.internal/caravan' }), /REDIS_URL is not set: set both/);
    assert.throws(() => loadConfig({ REDIS_URL: 'redis://cache.internal' }), /DATABASE_URL is not set: set both/);
  });

  it('takes CARAVAN_STORAGE over the default, and production defaults to external storage', () => {
    assert.equal(loadConfig({ CARAVAN_STORAGE: 'external' }).storage, 'external');
    assert.equal(loadConfig({ CARAVAN_ENV: 'production', CARAVAN_ENCRYPTION_KEY: 'k'.repeat(32) }).storage, 'external');
    assert.equal(loadConfig({ CARAVAN_ENV: 'production', CARAVAN_ENCRYPTION_KEY: 'k'.repeat(32), CARAVAN_STORAGE: 'embedded' }).storage, 'embedded');
    assert.throws(() => loadConfig({ CARAVAN_STORAGE: 'embedded', REDIS_URL: 'redis://x' }), /CARAVAN_STORAGE=embedded uses no PostgreSQL or Redis/);
    assert.throws(() => loadConfig({ CARAVAN_STORAGE: 'sqlite' }), /CARAVAN_STORAGE must be one of external, embedded/);
  });

  it('has external defaults that point at local Postgres and Redis', () => {
    const config = loadConfig({ CARAVAN_STORAGE: 'external' });
    assert.equal(config.database.url, 'postgres://postgres@127.0.0.1:5432/caravan');
    assert.equal(config.redis.url, 'redis://127.0.0.1:6379/0');
    assert.equal(config.api.port, 5005);
    assert.equal(config.agent.port, 5006);
    assert.equal(config.database.migrate, true);
    assert.equal(config.auth.rootApiKey, null);
    assert.equal(config.api.bodyLimitBytes, 1048576);
  });

  it('turns migrations off by default in production', () => {
    assert.equal(loadConfig({ CARAVAN_ENV: 'production', CARAVAN_ENCRYPTION_KEY: 'k'.repeat(32) }).database.migrate, false);
  });

  it('names every invalid variable in one error', () => {
    assert.throws(
      () => loadConfig({ CARAVAN_STORAGE: 'external', CARAVAN_API_PORT: 'abc', REDIS_URL: 'http://x', CARAVAN_MIGRATE: 'maybe' }),
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

  it('derives the public URL from host and api port unless CARAVAN_PUBLIC_URL is set', () => {
    assert.equal(loadConfig({}).api.publicUrl, 'http://127.0.0.1:5005');
    assert.equal(loadConfig({ CARAVAN_HOST: '0.0.0.0', CARAVAN_API_PORT: '8080' }).api.publicUrl, 'http://127.0.0.1:8080');
    assert.equal(loadConfig({ CARAVAN_HOST: '::' }).api.publicUrl, 'http://[::1]:5005');
    assert.equal(loadConfig({ CARAVAN_PUBLIC_URL: 'https://hooks.example.com/caravan/' }).api.publicUrl, 'https://hooks.example.com/caravan');
    assert.throws(() => loadConfig({ CARAVAN_PUBLIC_URL: 'ftp://hooks.example.com' }), /CARAVAN_PUBLIC_URL must use http: or https:/);
    assert.throws(() => loadConfig({ CARAVAN_PUBLIC_URL: 'https://hooks.example.com/?a=1' }), /CARAVAN_PUBLIC_URL must be a base URL/);
  });

  it('rejects a root key too short to be safe', () => {
    assert.throws(() => loadConfig({ CARAVAN_ROOT_API_KEY: 'short' }), /CARAVAN_ROOT_API_KEY/);
  });

  it('does not echo credentials of an unparsable database URL', () => {
    assert.throws(
      () => loadConfig({ DATABASE_URL: 'postgres://user:secret@host:notaport/db', REDIS_URL: 'redis://x' }),
      (error: unknown) => !String(error).includes('secret'),
    );
  });
});

describe('loadConfig: egress settings', () => {
  it('allows loopback on any port outside production, and only ports 80 and 443 otherwise', () => {
    for (const env of ['development', 'test']) {
      const egress = loadConfig({ CARAVAN_ENV: env }).egress;
      assert.deepEqual(egress.allowCidrs, ['127.0.0.0/8', '::1/128']);
      assert.deepEqual(egress.allowedPorts, [80, 443]);
    }
    const production = loadConfig({ CARAVAN_ENV: 'production', CARAVAN_ENCRYPTION_KEY: 'k'.repeat(32) }).egress;
    assert.deepEqual(production.allowCidrs, []);
    assert.deepEqual(production.allowedPorts, [80, 443]);
  });

  it('has no proxy, token, deny lists or static hosts by default', () => {
    const egress = loadConfig({}).egress;
    assert.equal(egress.port, 4750);
    assert.equal(egress.proxyUrl, null);
    assert.equal(egress.proxyToken, null);
    assert.deepEqual([egress.denyCidrs, egress.allowHosts, egress.denyHosts], [[], [], []]);
    assert.deepEqual(egress.staticHosts, {});
  });

  it('reads an allow-list set to the empty string as empty, not as the default', () => {
    assert.deepEqual(loadConfig({ CARAVAN_ENV: 'development', CARAVAN_EGRESS_ALLOW_CIDRS: '' }).egress.allowCidrs, []);
  });

  it('reads lists, ports, host patterns and static hosts', () => {
    const egress = loadConfig({
      CARAVAN_EGRESS_ALLOW_CIDRS: '10.1.0.0/16, fd00::/8,192.168.1.7',
      CARAVAN_EGRESS_DENY_CIDRS: '10.1.2.0/24',
      CARAVAN_EGRESS_ALLOW_HOSTS: 'Hooks.Internal.,*.corp.example',
      CARAVAN_EGRESS_DENY_HOSTS: 'secret.corp.example',
      CARAVAN_EGRESS_ALLOWED_PORTS: '443, 8443',
      CARAVAN_EGRESS_STATIC_HOSTS: 'receiver.example.com=127.0.0.1, mixed.example.com=127.0.0.1,MIXED.example.com=::1',
      CARAVAN_EGRESS_PROXY_URL: 'http://caravan:token@egress:4750',
      CARAVAN_EGRESS_PROXY_TOKEN: 'a-token-of-24-characters',
    }).egress;
    assert.deepEqual(egress.allowCidrs, ['10.1.0.0/16', 'fd00::/8', '192.168.1.7']);
    assert.deepEqual(egress.denyCidrs, ['10.1.2.0/24']);
    assert.deepEqual(egress.allowHosts, ['hooks.internal', '*.corp.example']);
    assert.deepEqual(egress.denyHosts, ['secret.corp.example']);
    assert.deepEqual(egress.allowedPorts, [443, 8443]);
    assert.deepEqual(egress.staticHosts, { 'receiver.example.com': ['127.0.0.1'], 'mixed.example.com': ['127.0.0.1', '::1'] });
    assert.equal(egress.proxyUrl, 'http://caravan:token@egress:4750');
    assert.equal(egress.proxyToken, 'a-token-of-24-characters');
  });

  it('accepts "any" as the port list', () => {
    assert.equal(loadConfig({ CARAVAN_EGRESS_ALLOWED_PORTS: 'any' }).egress.allowedPorts, 'any');
  });

  it('names each bad egress variable', () => {
    assert.throws(
      () =>
        loadConfig({
          CARAVAN_EGRESS_ALLOW_CIDRS: '10.0.0.0/33',
          CARAVAN_EGRESS_DENY_CIDRS: '0177.0.0.1/8',
          CARAVAN_EGRESS_ALLOW_HOSTS: '10.0.0.1',
          CARAVAN_EGRESS_DENY_HOSTS: 'bad host',
          CARAVAN_EGRESS_ALLOWED_PORTS: '80,0,http',
          CARAVAN_EGRESS_STATIC_HOSTS: 'receiver.example.com=localhost',
          CARAVAN_EGRESS_PROXY_URL: 'socks5://egress:1080',
          CARAVAN_EGRESS_PROXY_TOKEN: 'short',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        const message = error.message;
        assert.match(message, /CARAVAN_EGRESS_ALLOW_CIDRS has an invalid CIDR "10\.0\.0\.0\/33": the prefix must be from 0 to 32/);
        assert.match(message, /CARAVAN_EGRESS_DENY_CIDRS has an invalid CIDR "0177\.0\.0\.1\/8": not an IPv4 or IPv6 address/);
        assert.match(message, /CARAVAN_EGRESS_ALLOW_HOSTS lists names only; put the address "10\.0\.0\.1" in a _CIDRS variable/);
        assert.match(message, /CARAVAN_EGRESS_DENY_HOSTS has an invalid host name "bad host"/);
        assert.match(message, /CARAVAN_EGRESS_ALLOWED_PORTS must be ports from 1 to 65535 .* \(got "0"\)/);
        assert.match(message, /CARAVAN_EGRESS_ALLOWED_PORTS must be ports .* \(got "http"\)/);
        assert.match(message, /CARAVAN_EGRESS_STATIC_HOSTS must be name=address pairs .* \(got "receiver\.example\.com=localhost"\)/);
        assert.match(message, /CARAVAN_EGRESS_PROXY_URL must use http: or https:/);
        assert.match(message, /CARAVAN_EGRESS_PROXY_TOKEN must be at least 16 characters/);
        assert.equal(error.problems.length, 9);
        return true;
      },
    );
  });

  it('reads retention and scheduler settings, with defaults of 30 days, hourly purges of 1000-row batches', () => {
    assert.deepEqual(loadConfig({}).retention, { defaultDays: 30, intervalMs: 3_600_000, batchSize: 1000 });
    assert.equal(loadConfig({}).scheduler.leaseMs, 30_000);
    const set = loadConfig({ CARAVAN_RETENTION_DAYS: '7', CARAVAN_RETENTION_INTERVAL_SECONDS: '0.5', CARAVAN_RETENTION_BATCH_SIZE: '5', CARAVAN_SCHEDULER_LEASE_SECONDS: '2' });
    assert.deepEqual(set.retention, { defaultDays: 7, intervalMs: 500, batchSize: 5 });
    assert.equal(set.scheduler.leaseMs, 2000);
    assert.throws(
      () => loadConfig({ CARAVAN_RETENTION_DAYS: '0', CARAVAN_RETENTION_BATCH_SIZE: '1.5', CARAVAN_RETENTION_INTERVAL_SECONDS: 'hourly' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.deepEqual(
          error.problems.map((problem) => problem.split(' ')[0]),
          ['CARAVAN_RETENTION_DAYS', 'CARAVAN_RETENTION_INTERVAL_SECONDS', 'CARAVAN_RETENTION_BATCH_SIZE'],
        );
        return true;
      },
    );
  });
});

describe('loadConfig: a read replica', () => {
  it('reads DATABASE_REPLICA_URL as a PostgreSQL URL, and refuses it in the embedded mode', () => {
    assert.equal(loadConfig({ CARAVAN_STORAGE: 'external' }).database.replicaUrl, null);
    const replica = 'postgres://reader@replica:5432/caravan';
    assert.equal(loadConfig({ CARAVAN_STORAGE: 'external', DATABASE_REPLICA_URL: replica }).database.replicaUrl, replica);
    assert.throws(() => loadConfig({ CARAVAN_STORAGE: 'external', DATABASE_REPLICA_URL: 'mysql://replica/caravan' }), /DATABASE_REPLICA_URL must use postgres:/);
    assert.throws(() => loadConfig({ DATABASE_REPLICA_URL: replica }), /DATABASE_REPLICA_URL needs DATABASE_URL and REDIS_URL/);
  });
});

describe('loadConfig: Redis Sentinel', () => {
  it('has no Sentinels by default, and reads host:port lists with the Sentinel port as default', () => {
    assert.deepEqual(loadConfig({ CARAVAN_STORAGE: 'external' }).redis.sentinels, []);
    const redis = loadConfig({ CARAVAN_STORAGE: 'external', REDIS_SENTINELS: ' Sentinel-0.Redis:26380 , 10.0.0.7 ,[::1]:5000' }).redis;
    assert.deepEqual(redis.sentinels, [
      { host: 'sentinel-0.redis', port: 26380 },
      { host: '10.0.0.7', port: 26379 },
      { host: '::1', port: 5000 },
    ]);
    assert.equal(redis.sentinelName, 'mymaster');
    assert.equal(redis.sentinelPassword, null);
  });

  it('counts Sentinels as a Redis setting: with DATABASE_URL they choose external storage, embedded refuses them', () => {
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://db/caravan', REDIS_SENTINELS: 'sentinel:26379' }).storage, 'external');
    assert.throws(() => loadConfig({ REDIS_SENTINELS: 'sentinel:26379' }), /DATABASE_URL is not set/);
    assert.throws(() => loadConfig({ CARAVAN_STORAGE: 'embedded', REDIS_SENTINELS: 'sentinel:26379' }), /unset DATABASE_URL, REDIS_URL and REDIS_SENTINELS/);
  });

  it('names each bad Sentinel entry', () => {
    assert.throws(
      () => loadConfig({ CARAVAN_STORAGE: 'external', REDIS_SENTINELS: 'ok:26379,bad host:1,sentinel:0,sentinel:99999,::1:26379' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        for (const entry of ['bad host:1', 'sentinel:0', 'sentinel:99999', '::1:26379']) {
          assert.ok(error.problems.includes(`REDIS_SENTINELS must be host:port pairs separated by commas (got "${entry}")`), entry);
        }
        assert.equal(error.problems.length, 4);
        return true;
      },
    );
  });
});

describe('loadConfig: the encryption key in production', () => {
  it('is required of processes that seal secrets, and not of those that never do (egress proxy, migrations)', () => {
    assert.throws(() => loadConfig({ CARAVAN_ENV: 'production' }), /CARAVAN_ENCRYPTION_KEY is required in production/);
    const egress = loadConfig({ CARAVAN_ENV: 'production' }, { usesEncryptionKey: false });
    assert.equal(egress.encryptionKey, null);
    assert.deepEqual(egress.egress.allowCidrs, [], 'still production defaults');
    assert.throws(() => loadConfig({ CARAVAN_ENV: 'production', CARAVAN_ENCRYPTION_KEY: 'short' }, { usesEncryptionKey: false }), /at least 32/);
  });
});

describe('loadConfig: tracing', () => {
  it('turns tracing on only with an OTLP endpoint: the traces URL as given, or the base URL plus /v1/traces', () => {
    assert.equal(loadConfig({}).telemetry.tracesEndpoint, null);
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).telemetry.tracesEndpoint, 'http://collector:4318/v1/traces');
    assert.equal(
      loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp' }).telemetry.tracesEndpoint,
      'https://traces.example/otlp',
    );
    assert.equal(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).telemetry.tracesEndpoint, null);
    assert.equal(loadConfig({ OTEL_SERVICE_NAME: 'billing-webhooks' }).telemetry.serviceName, 'billing-webhooks');
    assert.throws(() => loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }), /OTEL_EXPORTER_OTLP_ENDPOINT must (be a URL|use http)/);
  });
});
