import { Inject, Injectable } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig } from '@caravan/common';
import { bodyLimitOf } from '../../source-body-limit';
import { FindIngestSource } from '../find-ingest-source/find-ingest-source.usecase';

/**
 * How large a body the source behind a mask id accepts (404 for no source). The ingest route asks
 * before reading the body, so an unknown address or an oversized body is refused without buffering it.
 */
@Injectable()
export class GetIngestBodyLimit {
  constructor(
    private readonly findSource: FindIngestSource,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  async execute(maskId: string): Promise<number> {
    return bodyLimitOf(await this.findSource.execute(maskId), this.config.api.bodyLimitBytes);
  }
}
