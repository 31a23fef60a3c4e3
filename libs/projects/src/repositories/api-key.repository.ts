import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { PageRequest } from '@caravan/common';
import { IsNull, LessThan, Repository } from 'typeorm';
import { ApiKey } from '../entities/api-key.entity';

@Injectable()
export class ApiKeyRepository {
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  findActiveByHash(keyHash: string): Promise<ApiKey | null> {
    return this.keys.findOneBy({ keyHash, revokedAt: IsNull() });
  }

  listPage(projectId: string, page: PageRequest): Promise<ApiKey[]> {
    return this.keys.find({
      where: { projectId, ...(page.beforeId ? { id: LessThan(page.beforeId) } : {}) },
      order: { id: 'DESC' },
      take: page.limit + 1,
    });
  }

  save(key: ApiKey): Promise<ApiKey> {
    return this.keys.save(key);
  }

  async revoke(projectId: string, keyId: string): Promise<ApiKey | null> {
    await this.keys.update({ projectId, id: keyId, revokedAt: IsNull() }, { revokedAt: new Date() });
    return this.keys.findOneBy({ projectId, id: keyId });
  }

  async rootKeyExists(): Promise<boolean> {
    return this.keys.existsBy({ role: 'root' });
  }

  /** Inserts the generated root key unless another process did first; true when this one won. */
  async insertRootKeyOnce(key: ApiKey): Promise<boolean> {
    const result = await this.keys
      .createQueryBuilder()
      .insert()
      .values(key)
      .orIgnore()
      .execute();
    return (result.raw as unknown[]).length > 0;
  }
}
