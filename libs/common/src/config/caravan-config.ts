import * as fs from 'node:fs';
import { isIP } from 'node:net';
import * as path from 'node:path';

export type CaravanEnvironment = 'development' | 'production' | 'test';

/**
 * Where state lives. `external`: PostgreSQL and Redis, any number of processes. `embedded`: PGlite
 * (Postgres compiled to WebAssembly) in the data directory and an in-process queue, for one process.
 */
export type StorageMode = 'external' | 'embedded';

export interface CaravanConfig {
  env: CaravanEnvironment;
  version: string;
  host: string;
  storage: StorageMode;
  database: {
    /** In embedded mode, empty until the embedded server has started and filled it in. */
    url: string;
    /** A read replica for lists and searches (they may lag by the replica's delay); null: the primary. */
    replicaUrl: string | null;
    poolSize: number;
    migrate: boolean;
    /**
     * CARAVAN_DATABASE_LISTEN: api and agent processes LISTEN for changes to projects, endpoints
     * and subscriptions and keep them in memory until one comes. Off (through a transaction-pooling
     * PgBouncer, where LISTEN does not work): they read them per event and delivery.
     */
    listenForChanges: boolean;
  };
  redis: {
    /** Unused in embedded mode. With sentinels, its host is ignored; its credentials, db and TLS still apply. */
    url: string;
    prefix: string;
    /** REDIS_SENTINELS: when not empty, the master is found through these Sentinels instead of the URL's host. */
    sentinels: { host: string; port: number }[];
    /** REDIS_SENTINEL_NAME: the master's name in the Sentinels' configuration. */
    sentinelName: string;
    /** REDIS_SENTINEL_PASSWORD: for Sentinels that require a password of their own (`requirepass` in sentinel.conf). */
    sentinelPassword: string | null;
  };
  api: {
    port: number;
    bodyLimitBytes: number;
    /** Where the outside world reaches the api, without a trailing slash; sources' ingest URLs start with it. */
    publicUrl: string;
  };
  agent: {
    port: number;
    deliveryConcurrency: number;
    routingConcurrency: number;
    maintenanceConcurrency: number;
    sweepIntervalMs: number;
    sweepGraceMs: number;
    queueLockMs: number;
    /** How often the agent compares its broker consumers with the sources table. */
    sourceRefreshMs: number;
  };
  retention: {
    /** Days events and deliveries are kept when a project's `config.retention` does not say. */
    defaultDays: number;
    /** How often the purge runs, once per deployment. */
    intervalMs: number;
    /** Rows per delete statement, so no purge statement holds its locks for long. */
    batchSize: number;
  };
  scheduler: {
    /** A run whose agent stops renewing its lease for this long is taken as dead, and its task may run again. */
    leaseMs: number;
  };
  egress: {
    port: number;
    /** Where the agent sends deliveries through (part B); null sends them directly. */
    proxyUrl: string | null;
    /** When set, the proxy requires `Proxy-Authorization: Bearer <token>` (or Basic with it as password). */
    proxyToken: string | null;
    /** Destinations allowed despite the SSRF policy's default denies, on any port. */
    allowCidrs: string[];
    denyCidrs: string[];
    allowHosts: string[];
    denyHosts: string[];
    /** Ports a destination that is not allow-listed may use. */
    allowedPorts: number[] | 'any';
    /** Resolver override, like a hosts file: lower-case name to its addresses. */
    staticHosts: Record<string, string[]>;
  };
  auth: {
    rootApiKey: string | null;
  };
  /** Key material for secrets at rest; null outside production means "generate one in dataDir". */
  encryptionKey: string | null;
  dataDir: string;
  delivery: {
    defaultTimeoutSeconds: number;
    responseBodyLimitBytes: number;
  };
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  telemetry: {
    /** Where spans are exported over OTLP/HTTP (JSON); null: tracing is off and costs nothing. */
    tracesEndpoint: string | null;
    /** OTEL_SERVICE_NAME; null: each process names itself (caravan-api, caravan-agent, caravan). */
    serviceName: string | null;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** Reads each variable once, collecting every problem so one boot names them all. */
class EnvReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  optionalString(name: string, minLength: number): string | null {
    const value = this.raw(name);
    if (value === undefined) return null;
    if (value.length < minLength) {
      this.problems.push(`${name} must be at least ${minLength} characters long`);
      return null;
    }
    return value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  }

  seconds(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) return fallback * 1000;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be a number of seconds from ${min} to ${max} (got "${value}")`);
      return fallback * 1000;
    }
    return Math.round(parsed * 1000);
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (['true', '1', 'yes', 'on'].includes(value)) return true;
    if (['false', '0', 'no', 'off'].includes(value)) return false;
    this.problems.push(`${name} must be true or false (got "${value}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${value}")`);
      return fallback;
    }
    return value as T;
  }

  url(name: string, fallback: string, protocols: string[]): string {
    const value = this.string(name, fallback);
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
      }
    } catch {
      this.problems.push(`${name} must be a URL (got "${redactUrl(value)}")`);
    }
    return value;
  }

  /** An http(s) base URL without query or fragment; returned without its trailing slash. */
  publicUrl(name: string, fallback: string): string {
    const value = this.url(name, fallback, ['http:', 'https:']);
    if (/[?#]/.test(value)) {
      this.problems.push(`${name} must be a base URL without a query or fragment (got "${redactUrl(value)}")`);
    }
    return value.replace(/\/+$/, '');
  }

  optionalUrl(name: string, protocols: string[]): string | null {
    return this.raw(name) === undefined ? null : this.url(name, '', protocols);
  }

  optionalToken(name: string, minLength: number): string | null {
    const value = this.optionalString(name, minLength);
    if (value !== null && !/^[\x21-\x7e]+$/.test(value)) {
      this.problems.push(`${name} must be printable ASCII without spaces`);
      return null;
    }
    return value;
  }

  /**
   * A comma-separated list. Unlike other variables, a list set to the empty string means an empty
   * list, not the default: `CARAVAN_EGRESS_ALLOW_CIDRS=` turns the development allow-list off.
   */
  list(name: string, fallback: string[]): string[] {
    const value = this.env[name];
    if (value === undefined) return fallback;
    return value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
  }

  cidrList(name: string, fallback: string[]): string[] {
    const entries = this.list(name, fallback);
    for (const entry of entries) {
      const problem = cidrProblem(entry);
      if (problem) this.problems.push(`${name} has an invalid CIDR "${entry}": ${problem}`);
    }
    return entries;
  }

  hostList(name: string): string[] {
    const entries = this.list(name, []).map((entry) => entry.toLowerCase().replace(/\.$/, ''));
    for (const entry of entries) {
      if (isIP(entry.replace(/^\[|\]$/g, ''))) this.problems.push(`${name} lists names only; put the address "${entry}" in a _CIDRS variable`);
      else if (!HOST_PATTERN.test(entry)) this.problems.push(`${name} has an invalid host name "${entry}" (a name, or *.name for every name below it)`);
    }
    return entries;
  }

  /** `80,443`, or `any`. */
  portList(name: string, fallback: number[]): number[] | 'any' {
    const entries = this.list(name, fallback.map(String));
    if (entries.length === 1 && ['any', '*'].includes(entries[0].toLowerCase())) return 'any';
    const ports: number[] = [];
    for (const entry of entries) {
      const port = Number(entry);
      if (/^\d+$/.test(entry) && port >= 1 && port <= 65535) ports.push(port);
      else this.problems.push(`${name} must be ports from 1 to 65535 separated by commas, or "any" (got "${entry}")`);
    }
    return ports;
  }

  /** `name=address,name=address`; a name listed twice has several addresses. */
  staticHosts(name: string): Record<string, string[]> {
    const hosts: Record<string, string[]> = {};
    for (const entry of this.list(name, [])) {
      const [host, address, extra] = entry.split('=').map((part) => part.trim());
      const hostName = (host ?? '').toLowerCase().replace(/\.$/, '');
      if (extra !== undefined || !address || !HOST_NAME.test(hostName) || !isIP(address)) {
        this.problems.push(`${name} must be name=address pairs separated by commas, with an IP address (got "${entry}")`);
        continue;
      }
      (hosts[hostName] ??= []).push(address);
    }
    return hosts;
  }

  /** `host:port,host:port` (`[v6]:port` for IPv6 addresses); the port defaults to `defaultPort`. */
  hostPortList(name: string, defaultPort: number): { host: string; port: number }[] {
    const entries: { host: string; port: number }[] = [];
    for (const entry of this.list(name, [])) {
      const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(entry);
      const host = (match?.[1] ?? match?.[2] ?? '').toLowerCase();
      const port = match?.[3] === undefined ? defaultPort : Number(match[3]);
      if (!match || !(isIP(host) || HOST_NAME.test(host)) || port < 1 || port > 65535) {
        this.problems.push(`${name} must be host:port pairs separated by commas (got "${entry}")`);
        continue;
      }
      entries.push({ host, port });
    }
    return entries;
  }
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;
const HOST_PATTERN = /^(?:\*\.)?(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*$/;

/** Why `10.0.0.0/8`-style text is not a CIDR (a bare address counts as one address), or null. */
function cidrProblem(entry: string): string | null {
  const [address, prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined || address.includes('%')) return 'not an IPv4 or IPv6 address in standard notation';
  if (prefix === undefined) return null;
  const bits = family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > bits) return `the prefix must be from 0 to ${bits}`;
  return null;
}

/** The api as this machine reaches it: a wildcard listen address is not somewhere to send requests. */
function defaultPublicUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${isIP(reachable) === 6 ? `[${reachable}]` : reachable}:${port}`;
}

/** A URL safe to print: its credentials hidden. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/[^@/]*@/, '//***@');
}

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/caravan';
export const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379/0';

export interface LoadConfigOptions {
  /**
   * False for processes that never seal or open a stored secret (the egress proxy, the migration
   * command): production does not require CARAVAN_ENCRYPTION_KEY of them, so they need not be given it.
   */
  usesEncryptionKey?: boolean;
}

/**
 * The one place that reads the environment. Throws ConfigError naming every bad variable,
 * so a process stops at boot instead of failing on first use.
 */
export function loadConfig(env: Env = process.env, options: LoadConfigOptions = {}): CaravanConfig {
  const read = new EnvReader(env);
  const caravanEnv = read.oneOf('CARAVAN_ENV', ['development', 'production', 'test'] as const, 'development');
  const production = caravanEnv === 'production';

  const host = read.string('CARAVAN_HOST', production ? '0.0.0.0' : '127.0.0.1');
  const apiPort = read.int('CARAVAN_API_PORT', 5005, 0, 65535);

  const storage = storageMode(read, production);
  const embedded = storage === 'embedded';

  const config: CaravanConfig = {
    env: caravanEnv,
    version: packageVersion(),
    host,
    storage,
    database: {
      url: embedded ? '' : read.url('DATABASE_URL', DEFAULT_DATABASE_URL, ['postgres:', 'postgresql:']),
      replicaUrl: embedded ? noReplicaWhenEmbedded(read) : read.optionalUrl('DATABASE_REPLICA_URL', ['postgres:', 'postgresql:']),
      // PGlite is one Postgres session: a second connection would share it, transactions included.
      poolSize: embedded ? 1 : read.int('CARAVAN_DATABASE_POOL_SIZE', 10, 1, 500),
      migrate: embedded || read.bool('CARAVAN_MIGRATE', !production),
      listenForChanges: !embedded && read.bool('CARAVAN_DATABASE_LISTEN', true),
    },
    redis: {
      url: embedded ? '' : read.url('REDIS_URL', DEFAULT_REDIS_URL, ['redis:', 'rediss:']),
      prefix: read.string('CARAVAN_REDIS_PREFIX', 'caravan'),
      sentinels: embedded ? [] : read.hostPortList('REDIS_SENTINELS', 26379),
      sentinelName: read.string('REDIS_SENTINEL_NAME', 'mymaster'),
      sentinelPassword: read.raw('REDIS_SENTINEL_PASSWORD') ?? null,
    },
    api: {
      port: apiPort,
      bodyLimitBytes: read.int('CARAVAN_BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
      publicUrl: read.publicUrl('CARAVAN_PUBLIC_URL', defaultPublicUrl(host, apiPort)),
    },
    agent: {
      port: read.int('CARAVAN_AGENT_PORT', 5006, 0, 65535),
      deliveryConcurrency: read.int('CARAVAN_DELIVERY_CONCURRENCY', 50, 1, 1000),
      routingConcurrency: read.int('CARAVAN_ROUTING_CONCURRENCY', 10, 1, 1000),
      maintenanceConcurrency: read.int('CARAVAN_MAINTENANCE_CONCURRENCY', 2, 1, 100),
      sweepIntervalMs: read.seconds('CARAVAN_SWEEP_INTERVAL_SECONDS', 10, 0.1, 3600),
      sweepGraceMs: read.seconds('CARAVAN_SWEEP_GRACE_SECONDS', 15, 0, 3600),
      queueLockMs: read.seconds('CARAVAN_QUEUE_LOCK_SECONDS', 30, 1, 3600),
      sourceRefreshMs: read.seconds('CARAVAN_SOURCE_REFRESH_SECONDS', 5, 0.1, 3600),
    },
    retention: {
      defaultDays: read.int('CARAVAN_RETENTION_DAYS', 30, 1, 36500),
      intervalMs: read.seconds('CARAVAN_RETENTION_INTERVAL_SECONDS', 3600, 0.1, 7 * 86400),
      batchSize: read.int('CARAVAN_RETENTION_BATCH_SIZE', 1000, 1, 100_000),
    },
    scheduler: {
      leaseMs: read.seconds('CARAVAN_SCHEDULER_LEASE_SECONDS', 30, 1, 3600),
    },
    egress: {
      port: read.int('CARAVAN_EGRESS_PORT', 4750, 0, 65535),
      proxyUrl: read.optionalUrl('CARAVAN_EGRESS_PROXY_URL', ['http:', 'https:']),
      proxyToken: read.optionalToken('CARAVAN_EGRESS_PROXY_TOKEN', 16),
      // Outside production, local receivers (loopback) are allowed, and being allow-listed they may use
      // any port: no separate development port rule is needed.
      allowCidrs: read.cidrList('CARAVAN_EGRESS_ALLOW_CIDRS', production ? [] : ['127.0.0.0/8', '::1/128']),
      denyCidrs: read.cidrList('CARAVAN_EGRESS_DENY_CIDRS', []),
      allowHosts: read.hostList('CARAVAN_EGRESS_ALLOW_HOSTS'),
      denyHosts: read.hostList('CARAVAN_EGRESS_DENY_HOSTS'),
      allowedPorts: read.portList('CARAVAN_EGRESS_ALLOWED_PORTS', [80, 443]),
      staticHosts: read.staticHosts('CARAVAN_EGRESS_STATIC_HOSTS'),
    },
    auth: {
      rootApiKey: read.optionalString('CARAVAN_ROOT_API_KEY', 24),
    },
    encryptionKey: read.optionalString('CARAVAN_ENCRYPTION_KEY', 32),
    dataDir: read.string('CARAVAN_DATA_DIR', './.caravan/data'),
    delivery: {
      defaultTimeoutSeconds: read.int('CARAVAN_DELIVERY_TIMEOUT_SECONDS', 30, 1, 300),
      responseBodyLimitBytes: read.int('CARAVAN_RESPONSE_BODY_LIMIT_BYTES', 16 * 1024, 0, 1024 * 1024),
    },
    logLevel: read.oneOf('CARAVAN_LOG_LEVEL', ['error', 'warn', 'info', 'debug'] as const, 'info'),
    telemetry: {
      tracesEndpoint: otlpTracesEndpoint(read),
      serviceName: read.raw('OTEL_SERVICE_NAME') ?? null,
    },
  };

  if (production && options.usesEncryptionKey !== false && !config.encryptionKey && !read.raw('CARAVAN_ENCRYPTION_KEY')) {
    read.problems.push('CARAVAN_ENCRYPTION_KEY is required in production (32+ characters, e.g. `openssl rand -base64 32`)');
  }
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

/**
 * Embedded when neither DATABASE_URL nor REDIS_URL is set, so a bare `npm start` works on a machine
 * with only Node.js; external when both are. CARAVAN_STORAGE=external keeps the old default of a local
 * PostgreSQL and Redis, and is the default in production, where data on a local disk would be a
 * surprise. Half a configuration is refused: it is almost always a forgotten variable.
 */
function noReplicaWhenEmbedded(read: EnvReader): null {
  if (read.raw('DATABASE_REPLICA_URL') !== undefined) {
    read.problems.push('DATABASE_REPLICA_URL needs DATABASE_URL and REDIS_URL: the embedded mode has one database');
  }
  return null;
}

function storageMode(read: EnvReader, production: boolean): StorageMode {
  const database = read.raw('DATABASE_URL') !== undefined;
  // Sentinels name a Redis as much as a URL does (the URL then only adds credentials and the db).
  const redis = read.raw('REDIS_URL') !== undefined || read.raw('REDIS_SENTINELS') !== undefined;
  const chosen = read.raw('CARAVAN_STORAGE');
  if (chosen !== undefined) {
    const mode = read.oneOf('CARAVAN_STORAGE', ['external', 'embedded'] as const, 'external');
    if (mode === 'embedded' && (database || redis)) {
      read.problems.push('CARAVAN_STORAGE=embedded uses no PostgreSQL or Redis: unset DATABASE_URL, REDIS_URL and REDIS_SENTINELS');
    }
    return mode;
  }
  if (database !== redis) {
    const missing = database ? 'REDIS_URL' : 'DATABASE_URL';
    read.problems.push(
      `${missing} is not set: set both DATABASE_URL and REDIS_URL to use PostgreSQL and Redis, or neither for the embedded mode`,
    );
    return 'external';
  }
  return database || production ? 'external' : 'embedded';
}

/**
 * The standard OpenTelemetry variables: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as given,
 * OTEL_EXPORTER_OTLP_ENDPOINT is a base that gets `/v1/traces`, as the specification says.
 * OTEL_SDK_DISABLED=true turns tracing off whatever they say.
 */
function otlpTracesEndpoint(read: EnvReader): string | null {
  if (read.bool('OTEL_SDK_DISABLED', false)) return null;
  const traces = read.optionalUrl('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', ['http:', 'https:']);
  if (traces) return traces;
  const base = read.optionalUrl('OTEL_EXPORTER_OTLP_ENDPOINT', ['http:', 'https:']);
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : null;
}

let cachedVersion: string | undefined;

function packageVersion(): string {
  if (cachedVersion) return cachedVersion;
  // Walk up from this file: the same code runs from libs/ (source) and dist/libs/ (build).
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'caravan' && pkg.version) return (cachedVersion = pkg.version);
    }
  }
  return (cachedVersion = '0.0.0');
}

/** The environment for a child process: this one's, with overrides. Lives here to keep process.env in one file. */
export function childEnvironment(overrides: Record<string, string | undefined>): Record<string, string | undefined> {
  return { ...process.env, ...overrides };
}

/** CARAVAN_TEST_STORAGE: which storage the end-to-end suites run Caravan on (external by default). */
export function testStorage(env: Env = process.env): StorageMode {
  const read = new EnvReader(env);
  const mode = read.oneOf('CARAVAN_TEST_STORAGE', ['external', 'embedded'] as const, 'external');
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return mode;
}

/** Real brokers that the broker sources' opt-in test suites run against, when these variables name them. */
export interface BrokerTestServers {
  /** KAFKA_BROKERS: `host:port` list; empty runs the Kafka suite against its fake only. */
  kafkaBrokers: string[];
  /** PUBSUB_EMULATOR_HOST: a running Pub/Sub emulator (`127.0.0.1:8085`); null starts one with gcloud if it can. */
  pubsubEmulatorHost: string | null;
}

export function brokerTestServers(env: Env = process.env): BrokerTestServers {
  const read = new EnvReader(env);
  return { kafkaBrokers: read.list('KAFKA_BROKERS', []), pubsubEmulatorHost: read.raw('PUBSUB_EMULATOR_HOST') ?? null };
}
