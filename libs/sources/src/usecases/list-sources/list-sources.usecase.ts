import { Inject, Injectable } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig, Page, PageRequest, toPage } from '@caravan/common';
import { presentSource, SourceResponse } from '../../dtos/source.dto';
import { SourceRepository } from '../../repositories/source.repository';

@Injectable()
export class ListSources {
  constructor(
    private readonly sources: SourceRepository,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  async execute(projectId: string, page: PageRequest): Promise<Page<SourceResponse>> {
    return toPage(await this.sources.listPage(projectId, page), page, (source) =>
      presentSource(source, this.config.api.publicUrl),
    );
  }
}
