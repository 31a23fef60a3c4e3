import { MicroBatcher, rowByRowOnFailure, throwIfError } from '@caravan/common';
import { DataSource } from 'typeorm';
import { DeliveryAttempt } from '../entities/delivery-attempt.entity';
import type { ClaimedDelivery, DeliveryOutcome } from './delivery.repository';

// Concurrent deliveries reach the claim and the record a few hundred microseconds apart; a
// millisecond lets them share one write transaction, which is what a delivery mostly costs.
const WINDOW_MS = 1;
/**
 * A first attempt's record holds no delivery slot (InlineFirstAttempts frees it when the request
 * ends), so records wait longer for company: 5 ms took the ten-endpoint ceiling up by 15 %; 10 ms
 * filled the bound on records in flight and lost it again. A queued attempt's job waits for it.
 */
const RECORD_WINDOW_MS = 5;
const MAX_BATCH = 200;

interface ClaimRequest {
  projectId: string;
  deliveryId: string;
  lockMs: number;
}

interface AttemptRecord {
  claimed: ClaimedDelivery;
  attempt: DeliveryAttempt;
  outcome: DeliveryOutcome;
}

interface ClaimedRow {
  id: string;
  project_id: string;
  event_id: string;
  endpoint_id: string;
  subscription_id: string | null;
  attempt_count: number;
}

/**
 * The two writes of every attempt (claim the delivery, then record the attempt and move the
 * delivery on), each gathered across concurrent deliveries into one statement. The guarantees of
 * the one-row statements hold per row: a claim takes a delivery only when it is due and gives it to
 * one caller; a record lands only while its caller still holds the claim, with the attempt in the
 * same statement. A batch that fails is run again row by row, so one bad row fails only itself.
 */
export class AttemptStatements {
  private readonly claims: MicroBatcher<ClaimRequest, ClaimedDelivery | null | Error>;
  private readonly records: MicroBatcher<AttemptRecord, boolean | Error>;

  constructor(private readonly db: DataSource) {
    this.claims = new MicroBatcher((requests) => rowByRowOnFailure(requests, (batch) => this.claimBatch(batch)), MAX_BATCH, WINDOW_MS);
    this.records = new MicroBatcher((records) => rowByRowOnFailure(records, (batch) => this.recordBatch(batch)), MAX_BATCH, RECORD_WINDOW_MS);
  }

  claim(projectId: string, deliveryId: string, lockMs: number): Promise<ClaimedDelivery | null> {
    return this.claims.add({ projectId, deliveryId, lockMs }).then(throwIfError);
  }

  record(claimed: ClaimedDelivery, attempt: DeliveryAttempt, outcome: DeliveryOutcome): Promise<boolean> {
    return this.records.add({ claimed, attempt, outcome }).then(throwIfError);
  }

  /**
   * Rows are locked in id order (FOR UPDATE in the CTE), so two batches that share deliveries (a
   * job run twice) wait for each other instead of deadlocking. A delivery left `processing` by a
   * dead agent is taken again once its lock expires, with the same attempt number.
   */
  private async claimBatch(requests: ClaimRequest[]): Promise<(ClaimedDelivery | null)[]> {
    const [rows]: [ClaimedRow[]] = await this.db.query(
      `WITH wanted AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::float8[]) AS w(id, project_id, lock_ms)
       ), due AS (
         SELECT d.id, w.lock_ms FROM event_deliveries d JOIN wanted w ON w.id = d.id AND w.project_id = d.project_id
         WHERE d.status IN ('scheduled', 'retry', 'processing') AND d.next_attempt_at <= now()
         ORDER BY d.id
         FOR UPDATE OF d
       )
       UPDATE event_deliveries d SET
         status = 'processing',
         attempt_count = CASE WHEN d.status = 'processing' THEN d.attempt_count ELSE d.attempt_count + 1 END,
         next_attempt_at = now() + due.lock_ms * interval '1 millisecond',
         updated_at = now()
       FROM due WHERE d.id = due.id
       RETURNING d.id, d.project_id, d.event_id, d.endpoint_id, d.subscription_id, d.attempt_count`,
      [requests.map((r) => r.deliveryId), requests.map((r) => r.projectId), requests.map((r) => r.lockMs)],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return requests.map((request) => {
      const row = byId.get(request.deliveryId);
      if (!row || row.project_id !== request.projectId) return null;
      // The same delivery asked for twice in one batch (a job run twice) is given to the first asker only.
      byId.delete(request.deliveryId);
      return {
        id: row.id,
        projectId: row.project_id,
        eventId: row.event_id,
        endpointId: row.endpoint_id,
        subscriptionId: row.subscription_id,
        attemptCount: row.attempt_count,
      };
    });
  }

  /**
   * A data-modifying WITH runs whether or not the outer statement reads it, so every attempt is
   * stored, as it was made, even when its claim was lost meanwhile (the lock expired); only the
   * deliveries still held move on.
   */
  private async recordBatch(records: AttemptRecord[]): Promise<boolean[]> {
    const attempts = records.map(({ attempt: a }) => ({
      id: a.id,
      project_id: a.projectId,
      delivery_id: a.deliveryId,
      attempt_number: a.attemptNumber,
      request_url: a.requestUrl,
      request_method: a.requestMethod,
      request_headers: a.requestHeaders,
      response_status_code: a.responseStatusCode,
      response_headers: a.responseHeaders,
      response_body: a.responseBody,
      error: a.error,
      duration_ms: a.durationMs,
    }));
    const outcomes = records.map(({ claimed, outcome }) => ({
      id: claimed.id,
      attempt_count: claimed.attemptCount,
      status: outcome.status,
      next_attempt_at: outcome.nextAttemptAt.toISOString(),
      last_status_code: outcome.lastStatusCode,
      last_error: outcome.lastError,
    }));
    const [moved]: [{ id: string; attempt_count: number }[]] = await this.db.query(
      `WITH recorded_attempts AS (
         INSERT INTO delivery_attempts (id, project_id, delivery_id, attempt_number, request_url, request_method,
           request_headers, response_status_code, response_headers, response_body, error, duration_ms)
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS a(id uuid, project_id uuid, delivery_id uuid, attempt_number int,
           request_url text, request_method text, request_headers jsonb, response_status_code int, response_headers jsonb,
           response_body text, error text, duration_ms int)
         ON CONFLICT DO NOTHING
       ), outcomes AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb) AS o(id uuid, attempt_count int, status text,
           next_attempt_at timestamptz, last_status_code int, last_error text)
       )
       UPDATE event_deliveries d SET status = o.status, next_attempt_at = o.next_attempt_at,
         last_status_code = o.last_status_code, last_error = o.last_error, updated_at = now()
       FROM outcomes o
       WHERE d.id = o.id AND d.status = 'processing' AND d.attempt_count = o.attempt_count
       RETURNING d.id, d.attempt_count`,
      [JSON.stringify(attempts), JSON.stringify(outcomes)],
    );
    const landed = new Set(moved.map((row) => `${row.id}/${row.attempt_count}`));
    return records.map(({ claimed }) => landed.delete(`${claimed.id}/${claimed.attemptCount}`));
  }
}
