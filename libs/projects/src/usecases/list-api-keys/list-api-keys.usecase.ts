import { Injectable } from '@nestjs/common';
import { Page, PageRequest, toPage } from '@caravan/common';
import { ApiKeyResponse, presentApiKey } from '../../dtos/api-key.dto';
import { ApiKeyRepository } from '../../repositories/api-key.repository';

@Injectable()
export class ListApiKeys {
  constructor(private readonly keys: ApiKeyRepository) {}

  async execute(projectId: string, page: PageRequest): Promise<Page<ApiKeyResponse>> {
    return toPage(await this.keys.listPage(projectId, page), page, presentApiKey);
  }
}
