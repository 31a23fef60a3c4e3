import { BeforeApplicationShutdown, Inject, Injectable, Logger } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig, InFlightWork, mergeRetryConfig, newId } from '@caravan/common';
import { DisableEndpoint, Endpoint, EndpointCredentials, FindEndpoints } from '@caravan/endpoints';
import { GetEvent } from '@caravan/events';
import { CircuitBreakerConfig, GetProject, ProjectConfig, RateLimitConfig } from '@caravan/projects';
import { DeliverJob, JobQueue } from '@caravan/queue';
import { GetSubscription } from '@caravan/subscriptions';
import { CircuitBreaker } from '../../circuit-breaker/circuit-breaker';
import { BreakerSettings } from '../../circuit-breaker/circuit-breaker-state';
import { buildDeliveryRequest, loggableHeaders, OutgoingRequest } from '../../delivery-request';
import { RateLimit, RateLimiter } from '../../rate-limit/rate-limiter';
import { DeliveryAttempt } from '../../entities/delivery-attempt.entity';
import { HttpSender, SendResult } from '../../http/http-sender';
import { ClaimedDelivery, DeliveryOutcome, DeliveryRepository } from '../../repositories/delivery.repository';
import { RetryPolicy } from '../../retry/retry-policy';
import { DeliveryMetaEvents } from './delivery-meta-events';
import { recordAttemptTelemetry, recordUnsendableTelemetry } from '../../telemetry/attempt-telemetry';

export type DispatchResult = 'sent' | 'not-due' | 'endpoint-not-active' | 'endpoint-gone' | 'claim-lost';

/** A delivery that may not go yet: wait, without counting an attempt. */
export interface Deferral {
  deferMs: number;
  reason: 'rate-limited' | 'circuit-open';
  /** The wait ends in a rate-limit slot this delivery already holds. */
  slotReserved: boolean;
}

export type DispatchOutcome = DispatchResult | Deferral;

/**
 * One attempt of one delivery: claim it, send it, record the attempt and decide what comes
 * next. Idempotent per delivery id and attempt: a job that runs twice finds nothing to claim.
 */
@Injectable()
export class DispatchDelivery implements BeforeApplicationShutdown {
  private readonly logger = new Logger(DispatchDelivery.name);
  private readonly judging = new InFlightWork();
  private readonly userAgent: string;

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly endpoints: FindEndpoints,
    private readonly getEvent: GetEvent,
    private readonly getProject: GetProject,
    private readonly getSubscription: GetSubscription,
    private readonly sender: HttpSender,
    private readonly queue: JobQueue,
    private readonly breaker: CircuitBreaker,
    private readonly rateLimiter: RateLimiter,
    private readonly disableEndpoint: DisableEndpoint,
    private readonly credentials: EndpointCredentials,
    private readonly metaEvents: DeliveryMetaEvents,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {
    this.userAgent = `Caravan/${config.version}`;
  }

  /**
   * `claimed`: the delivery was created claimed for this attempt (ClaimedFirstAttempt); if it is
   * not sent, the claim is handed back. `offTheWire` is called once the request has ended, before
   * the attempt is recorded, for a caller that counts requests on the wire.
   */
  async execute(job: DeliverJob, claimed?: ClaimedDelivery, offTheWire?: () => void): Promise<DispatchOutcome> {
    const outcome = await this.attempt(job, claimed, offTheWire);
    if (claimed && outcome !== 'sent' && outcome !== 'claim-lost') await this.deliveries.releaseClaims([claimed]);
    return outcome;
  }

  private async attempt(job: DeliverJob, held: ClaimedDelivery | undefined, offTheWire: (() => void) | undefined): Promise<DispatchOutcome> {
    const [endpoint, project] = await Promise.all([this.activeEndpoint(job), this.getProject.recent(job.projectId)]);
    if (typeof endpoint === 'string') return endpoint;

    // Gates come before the claim: waiting for them is not an attempt.
    const breakerSettings = toBreakerSettings(project.config.circuit_breaker);
    const gate = await this.breaker.allow(endpoint.id, breakerSettings);
    if (!gate.allowed)
      return { deferMs: withJitter(gate.retryAfterMs), reason: 'circuit-open', slotReserved: false };
    const limit = rateLimitOf(endpoint, project.config.rate_limit);
    if (limit && !job.rateLimitSlotReserved) {
      const waitMs = await this.rateLimiter.reserve(endpoint.id, limit);
      if (waitMs > 0) return { deferMs: waitMs, reason: 'rate-limited', slotReserved: true };
    }

    const claimed = held ?? (await this.deliveries.claim(job.projectId, job.deliveryId, endpoint.httpTimeoutSeconds * 1000 + this.config.agent.queueLockMs));
    if (!claimed) return 'not-due';

    const [event, subscription] = await Promise.all([
      this.getEvent.content(claimed.projectId, claimed.eventId),
      claimed.subscriptionId ? this.getSubscription.recent(claimed.projectId, claimed.subscriptionId) : null,
    ]);
    let request: OutgoingRequest;
    try {
      request = buildDeliveryRequest({
        url: endpoint.url,
        payload: event.payload,
        eventId: event.id,
        eventType: event.eventType,
        deliveryId: claimed.id,
        attempt: claimed.attemptCount,
        customHeaders: event.customHeaders,
        secrets: this.credentials.activeSecrets(endpoint),
        signature: project.config.signature,
        timestamp: Math.floor(Date.now() / 1000),
        authentication: this.credentials.authenticationHeaders(endpoint),
        userAgent: this.userAgent,
      });
    } catch (error) {
      // A secret the scheme cannot use (e.g. not whsec_ after a scheme change): retrying cannot help.
      return this.recordUnsendable(
        claimed,
        endpoint,
        `cannot sign the delivery: ${(error as Error).message}`,
        project.config,
        event.eventType,
      );
    }

    const result = await this.sender.send(
      request,
      endpoint.httpTimeoutSeconds * 1000,
      this.config.delivery.responseBodyLimitBytes,
      this.credentials.clientCertificate(endpoint),
    );
    offTheWire?.();
    // The most specific settings win, field by field: subscription, then endpoint, then project.
    const policy = new RetryPolicy(
      mergeRetryConfig(mergeRetryConfig(project.config.retry, endpoint.retry), subscription?.retry),
    );
    const outcome = decideOutcome(result, claimed.attemptCount, policy);
    recordAttemptTelemetry(event, claimed.attemptCount, result, outcome);
    const recorded = await this.deliveries.recordAttempt(
      claimed,
      toAttempt(claimed, request, result),
      outcome,
    );
    if (!recorded) return 'claim-lost';
    await this.metaEvents.deliveryFinished(project.config, claimed, event.eventType, outcome);

    if (outcome.status === 'retry') await this.scheduleRetry(claimed, endpoint, outcome, job.traceparent);
    this.judgeInBackground(endpoint, outcome, breakerSettings, project.config.disable_endpoint_on_failure);
    return 'sent';
  }

  /**
   * The endpoint as kept in memory; when that says it is gone or not active, as stored now: an
   * activation that this process has not heard of yet must not leave the delivery waiting.
   */
  private async activeEndpoint(job: DeliverJob): Promise<Endpoint | 'endpoint-gone' | 'endpoint-not-active'> {
    let endpoint = await this.endpoints.known(job.projectId, job.endpointId);
    if (endpoint?.status !== 'active') endpoint = await this.endpoints.byId(job.projectId, job.endpointId);
    if (!endpoint) return 'endpoint-gone';
    // Paused and inactive endpoints keep their backlog; activation makes it due again.
    return endpoint.status === 'active' ? endpoint : 'endpoint-not-active';
  }

  /** Breaker updates still under way finish before connections close. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.judging.drained();
  }

  /**
   * The breaker learns the result after the delivery's slot is free: its writes per endpoint are
   * spaced out and shared (see CircuitBreaker), which a delivery need not wait for.
   */
  private judgeInBackground(endpoint: Endpoint, outcome: DeliveryOutcome, settings: BreakerSettings, disableOnFailure: boolean): void {
    this.judging.track(
      this.judgeEndpoint(endpoint, outcome, settings, disableOnFailure).catch((error: unknown) =>
        this.logger.warn(`circuit breaker of endpoint ${endpoint.id} not updated: ${String(error)}`),
      ),
    );
  }

  private async recordUnsendable(
    claimed: ClaimedDelivery,
    endpoint: Endpoint,
    error: string,
    config: ProjectConfig,
    eventType: string,
  ): Promise<DispatchResult> {
    const attempt = toAttempt(
      claimed,
      { url: endpoint.url, method: 'POST', headers: {}, body: '', sensitiveHeaders: [] },
      { kind: 'error', error, durationMs: 0, blocked: false },
    );
    const outcome: DeliveryOutcome = {
      status: 'failure',
      nextAttemptAt: new Date(),
      lastStatusCode: null,
      lastError: error,
    };
    recordUnsendableTelemetry();
    if (!(await this.deliveries.recordAttempt(claimed, attempt, outcome))) return 'claim-lost';
    await this.metaEvents.deliveryFinished(config, claimed, eventType, outcome);
    return 'sent';
  }

  /** Feeds the breaker; an endpoint whose circuit keeps opening is set inactive, its deliveries kept. */
  private async judgeEndpoint(
    endpoint: Endpoint,
    outcome: DeliveryOutcome,
    settings: BreakerSettings,
    disableOnFailure: boolean,
  ): Promise<void> {
    const verdict = await this.breaker.record(endpoint.id, outcome.status === 'success', settings);
    if (verdict.tripped) {
      this.logger.warn(
        `circuit of endpoint ${endpoint.id} opened (${verdict.next.trips} time(s) in a row): ${outcome.lastError}`,
      );
    }
    if (verdict.exhausted && disableOnFailure) {
      await this.disableEndpoint.execute(
        endpoint.projectId,
        endpoint.id,
        `circuit breaker opened ${verdict.next.trips} times in a row; last failure: ${outcome.lastError}`,
      );
    }
  }

  private async scheduleRetry(
    claimed: ClaimedDelivery,
    endpoint: Endpoint,
    outcome: DeliveryOutcome,
    traceparent: string | undefined,
  ): Promise<void> {
    const job = {
      projectId: claimed.projectId,
      deliveryId: claimed.id,
      endpointId: endpoint.id,
      attempt: claimed.attemptCount + 1,
      delayMs: outcome.nextAttemptAt.getTime() - Date.now(),
      // The first attempt's parent: every attempt of a delivery is a sibling in the event's trace.
      traceparent,
    };
    // The retry is already recorded as due in Postgres; if Redis is unreachable the sweeper sends it.
    await this.queue.deliver([job]).catch((error: unknown) => {
      this.logger.warn(
        `retry of delivery ${claimed.id} not queued (${String(error)}); the sweeper will send it`,
      );
    });
  }
}

export function decideOutcome(result: SendResult, attempt: number, policy: RetryPolicy): DeliveryOutcome {
  const now = Date.now();
  if (result.kind === 'response' && result.statusCode >= 200 && result.statusCode < 300) {
    return {
      status: 'success',
      nextAttemptAt: new Date(now),
      lastStatusCode: result.statusCode,
      lastError: null,
    };
  }
  const lastStatusCode = result.kind === 'response' ? result.statusCode : null;
  const lastError = result.kind === 'response' ? `endpoint answered ${result.statusCode}` : result.error;
  const failure = {
    statusCode: lastStatusCode,
    retryAfter: result.kind === 'response' ? result.headers['retry-after'] : undefined,
  };
  // A destination the egress policy refuses stays refused: no retry.
  if ((result.kind === 'error' && result.blocked) || !policy.canRetryAfter(attempt, failure)) {
    return { status: 'failure', nextAttemptAt: new Date(now), lastStatusCode, lastError };
  }
  return {
    status: 'retry',
    nextAttemptAt: new Date(now + policy.nextDelay(attempt, failure)),
    lastStatusCode,
    lastError,
  };
}

function toBreakerSettings(config: CircuitBreakerConfig): BreakerSettings {
  return {
    sampleWindowMs: config.sample_window_seconds * 1000,
    errorTimeoutMs: config.error_timeout_seconds * 1000,
    failureThreshold: config.failure_threshold,
    successThreshold: config.success_threshold,
    minimumRequestCount: config.minimum_request_count,
    consecutiveFailureThreshold: config.consecutive_failure_threshold,
  };
}

function rateLimitOf(endpoint: Endpoint, projectDefault: RateLimitConfig | null): RateLimit | null {
  if (endpoint.rateLimit)
    return { count: endpoint.rateLimit, durationMs: (endpoint.rateLimitDurationSeconds ?? 1) * 1000 };
  return projectDefault
    ? { count: projectDefault.count, durationMs: projectDefault.duration_seconds * 1000 }
    : null;
}

/** Deliveries held by an open circuit do not all come back in the same millisecond. */
function withJitter(ms: number): number {
  return Math.round(ms + Math.random() * Math.min(ms * 0.2, 2000)) + 10;
}

function toAttempt(claimed: ClaimedDelivery, request: OutgoingRequest, result: SendResult): DeliveryAttempt {
  const attempt = new DeliveryAttempt();
  attempt.id = newId();
  attempt.projectId = claimed.projectId;
  attempt.deliveryId = claimed.id;
  attempt.attemptNumber = claimed.attemptCount;
  attempt.requestUrl = request.url;
  attempt.requestMethod = request.method;
  attempt.requestHeaders = loggableHeaders(request);
  attempt.durationMs = result.durationMs;
  if (result.kind === 'response') {
    attempt.responseStatusCode = result.statusCode;
    attempt.responseHeaders = result.headers;
    attempt.responseBody = result.body;
    attempt.error = null;
  } else {
    attempt.responseStatusCode = null;
    attempt.responseHeaders = null;
    attempt.responseBody = null;
    attempt.error = result.error;
  }
  return attempt;
}
