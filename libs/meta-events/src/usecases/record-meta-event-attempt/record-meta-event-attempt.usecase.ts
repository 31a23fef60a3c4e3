import { Injectable } from '@nestjs/common';
import { newId } from '@caravan/common';
import { MetaEventAttempt } from '../../entities/meta-event-attempt.entity';
import { ClaimedMetaEvent, MetaEventOutcome, MetaEventRepository } from '../../repositories/meta-event.repository';

/** What one attempt sent and got back, as the attempt log keeps it (credentials already redacted). */
export interface MetaEventAttemptRecord {
  request: { url: string; method: string; headers: Record<string, string> };
  response: { statusCode: number; headers: Record<string, string>; body: string } | null;
  error: string | null;
  durationMs: number;
}

/** Records an attempt and what comes next; false when the claim was lost meanwhile. */
@Injectable()
export class RecordMetaEventAttempt {
  constructor(private readonly metaEvents: MetaEventRepository) {}

  execute(claimed: ClaimedMetaEvent, record: MetaEventAttemptRecord, outcome: MetaEventOutcome): Promise<boolean> {
    const attempt = new MetaEventAttempt();
    attempt.id = newId();
    attempt.projectId = claimed.projectId;
    attempt.metaEventId = claimed.id;
    attempt.attemptNumber = claimed.attemptCount;
    attempt.requestUrl = record.request.url;
    attempt.requestMethod = record.request.method;
    attempt.requestHeaders = record.request.headers;
    attempt.responseStatusCode = record.response?.statusCode ?? null;
    attempt.responseHeaders = record.response?.headers ?? null;
    attempt.responseBody = record.response?.body ?? null;
    attempt.error = record.error;
    attempt.durationMs = record.durationMs;
    return this.metaEvents.recordAttempt(claimed, attempt, outcome);
  }
}
