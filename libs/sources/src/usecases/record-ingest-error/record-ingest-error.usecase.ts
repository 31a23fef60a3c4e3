import { Injectable } from '@nestjs/common';
import { newId } from '@caravan/common';
import { IngestError } from '../../entities/ingest-error.entity';
import { IngestErrorRepository } from '../../repositories/ingest-error.repository';

export const INGEST_ERROR_PAYLOAD_LIMIT_BYTES = 64 * 1024;

export interface IngestFailure {
  projectId: string;
  sourceId: string;
  reason: string;
  body: Uint8Array;
  /** Only what helps to understand the failure; never credentials. */
  headers?: Record<string, string> | null;
}

/** Keeps what a source received but could not turn into an event, so its owner can see why. */
@Injectable()
export class RecordIngestError {
  constructor(private readonly errors: IngestErrorRepository) {}

  async execute(failure: IngestFailure): Promise<void> {
    const error = new IngestError();
    error.id = newId();
    error.projectId = failure.projectId;
    error.sourceId = failure.sourceId;
    error.reason = failure.reason;
    error.payload = payloadText(failure.body);
    error.headers = failure.headers ?? null;
    await this.errors.insert(error);
  }
}

/** The body as text, cut at 64 KiB; invalid UTF-8 becomes U+FFFD and NUL (which Postgres text refuses) is dropped. */
export function payloadText(body: Uint8Array): string {
  const cut = body.subarray(0, INGEST_ERROR_PAYLOAD_LIMIT_BYTES);
  return Buffer.from(cut).toString('utf8').replace(/\0/g, '');
}
