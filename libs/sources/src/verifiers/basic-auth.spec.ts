import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { verifyBasicAuth } from './basic-auth';

// printf '%s' 'caravan:open sesame' | base64
const AUTHORIZATION = 'Basic Y2FyYXZhbjpvcGVuIHNlc2FtZQ==';
const request = (authorization?: string) => ({
  body: Buffer.alloc(0),
  headers: authorization ? { authorization } : {},
});

describe('basic auth verification', () => {
  it('accepts the configured user name and password', () => {
    assert.deepEqual(verifyBasicAuth(request(AUTHORIZATION), 'caravan', 'open sesame'), { ok: true });
    assert.deepEqual(
      verifyBasicAuth(request(AUTHORIZATION.replace('Basic', 'basic')), 'caravan', 'open sesame'),
      { ok: true },
    );
  });

  it('refuses other credentials, other schemes and no credentials', () => {
    assert.deepEqual(verifyBasicAuth(request(AUTHORIZATION), 'caravan', 'open sesame!'), {
      ok: false,
      reason: 'the basic auth credentials do not match',
    });
    assert.equal(verifyBasicAuth(request(AUTHORIZATION), 'other', 'open sesame').ok, false);
    assert.deepEqual(verifyBasicAuth(request('Bearer abc'), 'caravan', 'open sesame'), {
      ok: false,
      reason: 'Authorization must be Basic credentials',
    });
    assert.deepEqual(verifyBasicAuth(request(), 'caravan', 'open sesame'), {
      ok: false,
      reason: 'missing header Authorization',
    });
  });
});
