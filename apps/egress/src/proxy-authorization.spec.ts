import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { ProxyAuthorization } from './proxy-authorization';

const TOKEN = 'a-token-of-24-characters';
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('ProxyAuthorization', () => {
  it('accepts everyone when no token is configured', () => {
    assert.equal(new ProxyAuthorization(null).accepts(undefined), true);
  });

  it('accepts the token as Bearer or as the Basic password, whatever the user name', () => {
    const authorization = new ProxyAuthorization(TOKEN);
    for (const header of [
      `Bearer ${TOKEN}`,
      `bearer ${TOKEN}`,
      basic(`caravan:${TOKEN}`),
      basic(`:${TOKEN}`),
    ]) {
      assert.equal(authorization.accepts(header), true, header);
    }
  });

  it('refuses a missing, wrong, truncated or misplaced token', () => {
    const authorization = new ProxyAuthorization(TOKEN);
    for (const header of [
      undefined,
      '',
      'Bearer',
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      basic(TOKEN),
      basic(`${TOKEN}:password`),
      `Token ${TOKEN}`,
      TOKEN,
    ]) {
      assert.equal(authorization.accepts(header), false, String(header));
    }
  });
});
