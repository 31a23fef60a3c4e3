import { Injectable } from '@nestjs/common';
import { NotFoundError } from '@caravan/common';
import { ApiKeyRepository } from '../../repositories/api-key.repository';
import { AuthenticateApiKey } from '../authenticate-api-key/authenticate-api-key.usecase';

@Injectable()
export class RevokeApiKey {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly authenticate: AuthenticateApiKey,
  ) {}

  async execute(projectId: string, keyId: string): Promise<void> {
    const key = await this.keys.revoke(projectId, keyId);
    if (!key) throw NotFoundError.of('API key', 'key_id');
    this.authenticate.forget(key.keyHash);
  }
}
