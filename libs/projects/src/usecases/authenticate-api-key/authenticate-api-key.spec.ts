import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { CaravanConfig } from '@caravan/common';
import { generateApiKey } from '../../api-key-format';
import type { ApiKeyRepository } from '../../repositories/api-key.repository';
import { AuthenticateApiKey } from './authenticate-api-key.usecase';

/** The repository's one method this use case calls, counting lookups: a fake, no database. */
function fakeKeys(rows: Record<string, { role: 'project'; projectId: string }>) {
  let lookups = 0;
  const repository = {
    findActiveByHash: async (hash: string) => {
      lookups += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return rows[hash] ?? null;
    },
  } as unknown as ApiKeyRepository;
  return { repository, lookups: () => lookups };
}

const config = { auth: { rootApiKey: null } } as unknown as CaravanConfig;

describe('AuthenticateApiKey (fake repository)', () => {
  it('resolves a project key, and concurrent requests with an uncached key share one lookup', async () => {
    const key = generateApiKey('project');
    const keys = fakeKeys({ [key.hash]: { role: 'project', projectId: 'p1' } });
    const authenticate = new AuthenticateApiKey(keys.repository, config);
    const principals = await Promise.all(Array.from({ length: 20 }, () => authenticate.execute(`Bearer ${key.key}`)));
    assert.ok(principals.every((p) => p.role === 'project' && p.projectId === 'p1'));
    assert.equal(keys.lookups(), 1);
    await authenticate.execute(`Bearer ${key.key}`);
    assert.equal(keys.lookups(), 1, 'cached');
  });

  it('refuses an unknown key every time, and forgets a deleted project at once', async () => {
    const key = generateApiKey('project');
    const rows: Record<string, { role: 'project'; projectId: string }> = { [key.hash]: { role: 'project', projectId: 'p1' } };
    const keys = fakeKeys(rows);
    const authenticate = new AuthenticateApiKey(keys.repository, config);
    await assert.rejects(authenticate.execute('Bearer cv_unknown_key'), /API key is not valid/);
    await authenticate.execute(`Bearer ${key.key}`);
    delete rows[key.hash];
    authenticate.forgetProject('p1');
    await assert.rejects(authenticate.execute(`Bearer ${key.key}`), /API key is not valid/);
  });
});
