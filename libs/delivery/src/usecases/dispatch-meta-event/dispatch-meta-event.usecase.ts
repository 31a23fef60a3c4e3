import { Inject, Injectable, Logger } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig, nullIfNotFound } from '@caravan/common';
import { ClaimedMetaEvent, ClaimMetaEvent, MetaEventAttemptRecord, MetaEventOutcome, RecordMetaEventAttempt } from '@caravan/meta-events';
import { GetProject, MetaEventsSettings } from '@caravan/projects';
import { JobQueue, SendMetaEventJob } from '@caravan/queue';
import { buildDeliveryRequest, loggableHeaders, OutgoingRequest } from '../../delivery-request';
import { HttpSender, SendResult } from '../../http/http-sender';
import { RetryPolicy } from '../../retry/retry-policy';
import { decideOutcome } from '../dispatch-delivery/dispatch-delivery.usecase';

export type MetaEventDispatchResult = 'sent' | 'not-due' | 'project-gone' | 'claim-lost';

/**
 * One attempt of one meta event, through the delivery engine: signed with the project's scheme and
 * the meta endpoint's secret, sent by HttpSender (so under the egress policy), retried with the
 * project's retry policy. Unlike a delivery it feeds no circuit breaker and emits no meta event,
 * so a failing meta endpoint can never produce notifications about itself.
 */
@Injectable()
export class DispatchMetaEvent {
  private readonly logger = new Logger(DispatchMetaEvent.name);
  private readonly userAgent: string;

  constructor(
    private readonly claim: ClaimMetaEvent,
    private readonly record: RecordMetaEventAttempt,
    private readonly getProject: GetProject,
    private readonly settings: MetaEventsSettings,
    private readonly sender: HttpSender,
    private readonly queue: JobQueue,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {
    this.userAgent = `Caravan/${config.version}`;
  }

  async execute(job: SendMetaEventJob): Promise<MetaEventDispatchResult> {
    const project = await this.getProject.recent(job.projectId).catch(nullIfNotFound);
    // Its meta events went with it (ON DELETE CASCADE).
    if (!project) return 'project-gone';
    const timeoutMs = this.config.delivery.defaultTimeoutSeconds * 1000;
    const claimed = await this.claim.execute(job.projectId, job.metaEventId, timeoutMs + this.config.agent.queueLockMs);
    if (!claimed) return 'not-due';

    const { meta_events: settings, signature, retry } = project.config;
    // Turned off (or pointed nowhere) since it was recorded: the owner no longer wants it.
    if (!settings.enabled || !settings.url) return this.recordUnsent(claimed, settings.url ?? '', 'not sent: meta events are disabled for the project');

    let request: OutgoingRequest;
    try {
      const secret = this.settings.openSecret(settings);
      request = buildDeliveryRequest({
        url: settings.url,
        payload: claimed.payload,
        eventId: claimed.id,
        eventType: claimed.eventType,
        deliveryId: claimed.id,
        attempt: claimed.attemptCount,
        customHeaders: null,
        secrets: secret ? [secret] : [],
        signature,
        timestamp: Math.floor(Date.now() / 1000),
        authentication: {},
        userAgent: this.userAgent,
      });
    } catch (error) {
      return this.recordUnsent(claimed, settings.url, `cannot sign the meta event: ${(error as Error).message}`);
    }

    const result = await this.sender.send(request, timeoutMs, this.config.delivery.responseBodyLimitBytes);
    const outcome = decideOutcome(result, claimed.attemptCount, new RetryPolicy(retry));
    if (!(await this.record.execute(claimed, toRecord(request, result), outcome))) return 'claim-lost';
    if (outcome.status === 'retry') await this.scheduleRetry(claimed, outcome);
    return 'sent';
  }

  /** A meta event that cannot be sent ends as a failure at once: trying again cannot help. */
  private async recordUnsent(claimed: ClaimedMetaEvent, url: string, error: string): Promise<MetaEventDispatchResult> {
    const outcome: MetaEventOutcome = { status: 'failure', nextAttemptAt: new Date(), lastStatusCode: null, lastError: error };
    const record: MetaEventAttemptRecord = { request: { url, method: 'POST', headers: {} }, response: null, error, durationMs: 0 };
    return (await this.record.execute(claimed, record, outcome)) ? 'sent' : 'claim-lost';
  }

  private async scheduleRetry(claimed: ClaimedMetaEvent, outcome: MetaEventOutcome): Promise<void> {
    const job = {
      projectId: claimed.projectId,
      metaEventId: claimed.id,
      attempt: claimed.attemptCount + 1,
      delayMs: outcome.nextAttemptAt.getTime() - Date.now(),
    };
    // The retry is already recorded as due in Postgres; if the queue is unreachable the sweeper sends it.
    await this.queue.sendMetaEvents([job]).catch((error: unknown) => {
      this.logger.warn(`retry of meta event ${claimed.id} not queued (${String(error)}); the sweeper will send it`);
    });
  }
}

function toRecord(request: OutgoingRequest, result: SendResult): MetaEventAttemptRecord {
  return {
    request: { url: request.url, method: request.method, headers: loggableHeaders(request) },
    response: result.kind === 'response' ? { statusCode: result.statusCode, headers: result.headers, body: result.body } : null,
    error: result.kind === 'error' ? result.error : null,
    durationMs: result.durationMs,
  };
}
