import { Inject, Injectable } from '@nestjs/common';
import { CARAVAN_CONFIG, CaravanConfig, UnauthorizedError } from '@caravan/common';
import { timingSafeEqual } from 'node:crypto';
import { hashApiKey } from '../../api-key-format';
import { ApiKeyRepository } from '../../repositories/api-key.repository';

export type Principal = { role: 'root' } | { role: 'project'; projectId: string };

const CACHE_TTL_MS = 5_000;
const CACHE_MAX_ENTRIES = 10_000;

/**
 * Resolves a bearer key to who is calling. Lookups are cached for a few seconds so the ingest
 * path does not query the database per request; a revocation reaches other processes within
 * that time (immediately in the process that revoked).
 */
@Injectable()
export class AuthenticateApiKey {
  private readonly rootKeyHash: Buffer | null;
  private readonly cache = new Map<string, { principal: Principal; expiresAt: number }>();
  private readonly lookups = new Map<string, ReturnType<ApiKeyRepository['findActiveByHash']>>();

  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(CARAVAN_CONFIG) config: CaravanConfig,
  ) {
    this.rootKeyHash = config.auth.rootApiKey ? Buffer.from(hashApiKey(config.auth.rootApiKey), 'hex') : null;
  }

  async execute(authorization: string | undefined): Promise<Principal> {
    const key = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!key) throw new UnauthorizedError('send an API key as "Authorization: Bearer <key>"');
    const hash = hashApiKey(key);

    if (this.rootKeyHash && timingSafeEqual(this.rootKeyHash, Buffer.from(hash, 'hex'))) return { role: 'root' };

    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;

    // Concurrent requests with a key whose entry just expired share one lookup.
    let lookup = this.lookups.get(hash);
    if (!lookup) {
      // The lookup is by hash of a 256-bit secret, so timing reveals nothing useful.
      lookup = this.keys.findActiveByHash(hash).finally(() => this.lookups.delete(hash));
      this.lookups.set(hash, lookup);
    }
    const found = await lookup;
    if (!found) {
      this.cache.delete(hash);
      throw new UnauthorizedError('API key is not valid');
    }
    const principal: Principal =
      found.role === 'root' ? { role: 'root' } : { role: 'project', projectId: found.projectId! };
    if (this.cache.size >= CACHE_MAX_ENTRIES) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(hash, { principal, expiresAt: Date.now() + CACHE_TTL_MS });
    return principal;
  }

  forget(keyHash: string): void {
    this.cache.delete(keyHash);
  }

  /** Drops every cached key of a deleted project, so this process refuses them at once. */
  forgetProject(projectId: string): void {
    for (const [hash, entry] of this.cache) {
      if (entry.principal.role === 'project' && entry.principal.projectId === projectId) this.cache.delete(hash);
    }
  }
}
