import { DEFAULT_RETRY_CONFIG, definedFields, InvalidInputError, mergeRetryConfig, RetryConfig } from '@caravan/common';

export type SignatureScheme = 'simple' | 'advanced' | 'standard-webhooks';
export const SIGNATURE_SCHEMES: SignatureScheme[] = ['simple', 'advanced', 'standard-webhooks'];
export type SignatureHash = 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64';

export interface SignatureConfig {
  scheme: SignatureScheme;
  header: string;
  hash: SignatureHash;
  encoding: SignatureEncoding;
}

/** At most `count` deliveries per `duration_seconds` to one endpoint. */
export interface RateLimitConfig {
  count: number;
  duration_seconds: number;
}

/** When an endpoint's circuit opens, and when a breaker that keeps opening disables it. */
export interface CircuitBreakerConfig {
  sample_window_seconds: number;
  error_timeout_seconds: number;
  /** Percentage of failed attempts in the window that opens the circuit. */
  failure_threshold: number;
  /** Percentage of successful probes that closes a half-open circuit. */
  success_threshold: number;
  minimum_request_count: number;
  /** Trips in a row (no success between them) after which the endpoint is set inactive. */
  consecutive_failure_threshold: number;
}

/** What a project's meta endpoint can be told about. */
export type MetaEventType =
  | 'endpoint.created'
  | 'endpoint.updated'
  | 'endpoint.deleted'
  | 'endpoint.disabled'
  | 'eventdelivery.success'
  | 'eventdelivery.failed';
export const META_EVENT_TYPES: MetaEventType[] = [
  'endpoint.created',
  'endpoint.updated',
  'endpoint.deleted',
  'endpoint.disabled',
  'eventdelivery.success',
  'eventdelivery.failed',
];

/** Signed notifications about the project's endpoints and deliveries, sent to one URL of the provider's. */
export interface MetaEventsConfig {
  enabled: boolean;
  url: string | null;
  event_types: MetaEventType[];
  /** Sealed (AES-256-GCM, see MetaEventsSettings); never returned. */
  secret: string | null;
}

/**
 * How many days the purge keeps events and finished deliveries; null follows the instance default
 * (CARAVAN_RETENTION_DAYS), so an operator's change reaches every project that never chose.
 * A delivery never outlives its event: the purge keeps deliveries at most events_days.
 */
export interface RetentionConfig {
  events_days: number | null;
  deliveries_days: number | null;
}

export const DEFAULT_RETENTION_CONFIG: RetentionConfig = { events_days: null, deliveries_days: null };

/** A project's settings as stored and returned: every field present. */
export interface ProjectConfig {
  signature: SignatureConfig;
  retry: RetryConfig;
  /** Default for endpoints that set none; null means unlimited. */
  rate_limit: RateLimitConfig | null;
  circuit_breaker: CircuitBreakerConfig;
  disable_endpoint_on_failure: boolean;
  idempotency_window_seconds: number;
  meta_events: MetaEventsConfig;
  retention: RetentionConfig;
}

export const DEFAULT_SIGNATURE_CONFIG: SignatureConfig = {
  scheme: 'simple',
  header: 'X-Caravan-Signature',
  hash: 'sha256',
  encoding: 'hex',
};

// Convoy's defaults, so its users find the same behaviour.
export const DEFAULT_CIRCUIT_BREAKER_CONFIG: CircuitBreakerConfig = {
  sample_window_seconds: 30,
  error_timeout_seconds: 30,
  failure_threshold: 70,
  success_threshold: 5,
  minimum_request_count: 10,
  consecutive_failure_threshold: 10,
};

export const DEFAULT_PROJECT_CONFIG: ProjectConfig = {
  signature: DEFAULT_SIGNATURE_CONFIG,
  retry: DEFAULT_RETRY_CONFIG,
  rate_limit: null,
  circuit_breaker: DEFAULT_CIRCUIT_BREAKER_CONFIG,
  disable_endpoint_on_failure: true,
  idempotency_window_seconds: 24 * 3600,
  meta_events: { enabled: false, url: null, event_types: META_EVENT_TYPES, secret: null },
  retention: DEFAULT_RETENTION_CONFIG,
};

export interface ProjectConfigPatch {
  signature?: Partial<SignatureConfig>;
  retry?: Partial<RetryConfig>;
  rate_limit?: RateLimitConfig | null;
  circuit_breaker?: Partial<CircuitBreakerConfig>;
  disable_endpoint_on_failure?: boolean;
  idempotency_window_seconds?: number;
  /** `secret`, when given, is already sealed. */
  meta_events?: Partial<MetaEventsConfig>;
  retention?: Partial<RetentionConfig>;
}

/**
 * Applies a patch to stored settings (or to the defaults). Projects stored before a setting
 * existed get its default, so readers can rely on every field being present.
 */
export function resolveProjectConfig(base: Partial<ProjectConfig> | undefined, patch: ProjectConfigPatch | undefined): ProjectConfig {
  const current: ProjectConfig = { ...DEFAULT_PROJECT_CONFIG, ...definedFields(base) };
  return {
    signature: { ...DEFAULT_SIGNATURE_CONFIG, ...current.signature, ...definedFields(patch?.signature) },
    retry: mergeRetryConfig(mergeRetryConfig(DEFAULT_RETRY_CONFIG, current.retry), patch?.retry),
    rate_limit: patch?.rate_limit !== undefined ? patch.rate_limit && { ...patch.rate_limit } : current.rate_limit,
    circuit_breaker: { ...DEFAULT_CIRCUIT_BREAKER_CONFIG, ...current.circuit_breaker, ...definedFields(patch?.circuit_breaker) },
    disable_endpoint_on_failure: patch?.disable_endpoint_on_failure ?? current.disable_endpoint_on_failure,
    idempotency_window_seconds: patch?.idempotency_window_seconds ?? current.idempotency_window_seconds,
    meta_events: resolveMetaEventsConfig(current.meta_events, patch?.meta_events),
    retention: mergeRetention(current.retention, patch?.retention),
  };
}

function resolveMetaEventsConfig(current: Partial<MetaEventsConfig> | undefined, patch: Partial<MetaEventsConfig> | undefined): MetaEventsConfig {
  const merged = { ...DEFAULT_PROJECT_CONFIG.meta_events, ...definedFields(current), ...definedFields(patch) };
  return { ...merged, event_types: [...merged.event_types] };
}

/** Whether meta events of this type go out: a check on the config in hand, so free on hot paths. */
export function wantsMetaEvent(config: ProjectConfig, type: MetaEventType): boolean {
  return config.meta_events.enabled && config.meta_events.url !== null && config.meta_events.event_types.includes(type);
}

function mergeRetention(current: RetentionConfig, patch: Partial<RetentionConfig> | undefined): RetentionConfig {
  const merged = { ...DEFAULT_RETENTION_CONFIG, ...current, ...definedFields(patch) };
  // Checked on the merged result: a patch of one field must agree with the other one stored.
  if (patch && merged.events_days !== null && merged.deliveries_days !== null && merged.deliveries_days > merged.events_days) {
    throw new InvalidInputError(
      `deliveries_days (${merged.deliveries_days}) must not exceed events_days (${merged.events_days}): deleting an event deletes its deliveries`,
      'config.retention.deliveries_days',
    );
  }
  return merged;
}
