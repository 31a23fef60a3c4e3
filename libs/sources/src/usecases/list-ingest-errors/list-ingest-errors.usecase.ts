import { Injectable } from '@nestjs/common';
import { Page, PageRequest, toPage } from '@caravan/common';
import { ApiProperty } from '@nestjs/swagger';
import type { IngestError } from '../../entities/ingest-error.entity';
import { IngestErrorRepository } from '../../repositories/ingest-error.repository';
import { GetSource } from '../get-source/get-source.usecase';

export class IngestErrorResponse {
  @ApiProperty() id: string;
  @ApiProperty() source_id: string;
  @ApiProperty({ description: 'Why the request or message was not turned into an event.' }) reason: string;
  @ApiProperty({ description: 'The raw payload, capped at 64 KiB.' }) payload: string;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: { type: 'string' } }) headers: Record<string, string> | null;
  @ApiProperty() created_at: string;
}

/** What a source received but could not turn into an event (poison messages, unusable requests), newest first. */
@Injectable()
export class ListIngestErrors {
  constructor(
    private readonly errors: IngestErrorRepository,
    private readonly getSource: GetSource,
  ) {}

  async execute(projectId: string, sourceId: string, page: PageRequest): Promise<Page<IngestErrorResponse>> {
    await this.getSource.execute(projectId, sourceId);
    return toPage(await this.errors.listPage(projectId, sourceId, page), page, presentIngestError);
  }
}

function presentIngestError(error: IngestError): IngestErrorResponse {
  return {
    id: error.id,
    source_id: error.sourceId,
    reason: error.reason,
    payload: error.payload,
    headers: error.headers,
    created_at: error.createdAt.toISOString(),
  };
}
