import { Inject, Injectable } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig, newId } from '@caravan/common';
import { generateApiKey } from '../../api-key-format';
import { ApiKey } from '../../entities/api-key.entity';
import { ApiKeyRepository } from '../../repositories/api-key.repository';

export type RootKeyOrigin =
  | { origin: 'config' }
  | { origin: 'generated-earlier' }
  | { origin: 'generated-now'; key: string };

/**
 * With no CARAVAN_ROOT_API_KEY, the first start generates a root key, stores its hash and hands
 * the key back once for printing. Concurrent first starts agree on one key (unique index).
 */
@Injectable()
export class EnsureRootKey {
  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(CARAVAN_CONFIG) private readonly config: CaravanConfig,
  ) {}

  async execute(): Promise<RootKeyOrigin> {
    if (this.config.auth.rootApiKey) return { origin: 'config' };
    if (await this.keys.rootKeyExists()) return { origin: 'generated-earlier' };

    const generated = generateApiKey('root');
    const key = new ApiKey();
    key.id = newId();
    key.projectId = null;
    key.role = 'root';
    key.name = 'root';
    key.prefix = generated.prefix;
    key.keyHash = generated.hash;
    key.revokedAt = null;
    const inserted = await this.keys.insertRootKeyOnce(key);
    return inserted ? { origin: 'generated-now', key: generated.key } : { origin: 'generated-earlier' };
  }
}
