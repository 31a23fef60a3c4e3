import { Inject, Injectable, Logger } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig, mergeRetryConfig, newId } from '@caravan/common';
import { currentSecret, Endpoint, FindEndpoints } from '@caravan/endpoints';
import { GetEvent } from '@caravan/events';
import { GetProject } from '@caravan/projects';
import { DeliverJob, JobQueue } from '@caravan/queue';
import { buildDeliveryRequest, OutgoingRequest } from '../../delivery-request';
import { DeliveryAttempt } from '../../entities/delivery-attempt.entity';
import { HttpSender, SendResult } from '../../http/http-sender';
import { ClaimedDelivery, DeliveryOutcome, DeliveryRepository } from '../../repositories/delivery.repository';
import { RetryPolicy } from '../../retry/retry-policy';

export type DispatchResult = 'sent' | 'not-due' | 'endpoint-not-active' | 'endpoint-gone' | 'claim-lost';

/**
 * One attempt of one delivery: claim it, send it, record the attempt and decide what comes
 * next. Idempotent per delivery id and attempt: a job that runs twice finds nothing to claim.
 */
@Injectable()
export class DispatchDelivery {
  private readonly logger = new Logger(DispatchDelivery.name);
  private readonly userAgent: string;

  constructor(
    private readonly deliveries: DeliveryRepository,
    private readonly endpoints: FindEndpoints,
    private readonly getEvent: GetEvent,
    private readonly getProject: GetProject,
    private readonly sender: HttpSender,
    private readonly queue: JobQueue,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {
    this.userAgent = `Caravan/${config.version}`;
  }

  async execute(job: DeliverJob): Promise<DispatchResult> {
    const endpoint = await this.endpoints.byId(job.projectId, job.endpointId);
    if (!endpoint) return 'endpoint-gone';
    // Paused and inactive endpoints keep their backlog; activation makes it due again.
    if (endpoint.status !== 'active') return 'endpoint-not-active';

    const lockMs = endpoint.httpTimeoutSeconds * 1000 + this.config.agent.queueLockMs;
    const claimed = await this.deliveries.claim(job.projectId, job.deliveryId, lockMs);
    if (!claimed) return 'not-due';

    const [event, project] = await Promise.all([
      this.getEvent.execute(claimed.projectId, claimed.eventId),
      this.getProject.execute(claimed.projectId),
    ]);
    const signature = project.config.signature;
    const secret = currentSecret(endpoint.secrets);
    const request = buildDeliveryRequest({
      url: endpoint.url,
      payload: event.payload,
      eventId: event.id,
      eventType: event.eventType,
      deliveryId: claimed.id,
      attempt: claimed.attemptCount,
      customHeaders: event.customHeaders,
      secret: secret?.value ?? '',
      signature: { header: signature.header, hash: signature.hash, encoding: signature.encoding },
      userAgent: this.userAgent,
    });

    const result = await this.sender.send(
      request,
      endpoint.httpTimeoutSeconds * 1000,
      this.config.delivery.responseBodyLimitBytes,
    );
    const policy = new RetryPolicy(mergeRetryConfig(project.config.retry, endpoint.retry));
    const outcome = decideOutcome(result, claimed.attemptCount, policy);
    const recorded = await this.deliveries.recordAttempt(claimed, toAttempt(claimed, request, result), outcome);
    if (!recorded) return 'claim-lost';

    if (outcome.status === 'retry') await this.scheduleRetry(claimed, endpoint, outcome);
    return 'sent';
  }

  private async scheduleRetry(claimed: ClaimedDelivery, endpoint: Endpoint, outcome: DeliveryOutcome): Promise<void> {
    const job = {
      projectId: claimed.projectId,
      deliveryId: claimed.id,
      endpointId: endpoint.id,
      attempt: claimed.attemptCount + 1,
      delayMs: outcome.nextAttemptAt.getTime() - Date.now(),
    };
    // The retry is already recorded as due in Postgres; if Redis is unreachable the sweeper sends it.
    await this.queue.deliver([job]).catch((error: unknown) => {
      this.logger.warn(`retry of delivery ${claimed.id} not queued (${String(error)}); the sweeper will send it`);
    });
  }
}

function decideOutcome(result: SendResult, attempt: number, policy: RetryPolicy): DeliveryOutcome {
  const now = Date.now();
  if (result.kind === 'response' && result.statusCode >= 200 && result.statusCode < 300) {
    return { status: 'success', nextAttemptAt: new Date(now), lastStatusCode: result.statusCode, lastError: null };
  }
  const lastStatusCode = result.kind === 'response' ? result.statusCode : null;
  const lastError = result.kind === 'response' ? `endpoint answered ${result.statusCode}` : result.error;
  if (!policy.canRetryAfter(attempt)) {
    return { status: 'failure', nextAttemptAt: new Date(now), lastStatusCode, lastError };
  }
  return { status: 'retry', nextAttemptAt: new Date(now + policy.nextDelay(attempt)), lastStatusCode, lastError };
}

function toAttempt(claimed: ClaimedDelivery, request: OutgoingRequest, result: SendResult): DeliveryAttempt {
  const attempt = new DeliveryAttempt();
  attempt.id = newId();
  attempt.projectId = claimed.projectId;
  attempt.deliveryId = claimed.id;
  attempt.attemptNumber = claimed.attemptCount;
  attempt.requestUrl = request.url;
  attempt.requestMethod = request.method;
  attempt.requestHeaders = request.headers;
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
