import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { Source } from '../../entities/source.entity';
import { MASK_ID } from '../../mask-id';
import { SourceRepository } from '../../repositories/source.repository';

/** The HTTP source behind a public ingest address; broker sources have no address. */
@Injectable()
export class FindIngestSource {
  constructor(private readonly sources: SourceRepository) {}

  async execute(maskId: string): Promise<Source> {
    const source = MASK_ID.test(maskId) ? await this.sources.findHttpSourceByMaskId(maskId) : null;
    if (!source) throw NotFoundError.of('source', 'mask_id');
    return source;
  }
}
