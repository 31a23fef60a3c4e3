import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { verifyGithubSignature } from './github-signature';

// Vectors computed with `printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" -hex`; the first
// is the example in GitHub's documentation ("Validating webhook deliveries").
const DOCS = {
  secret: "It's a Secret to Everybody",
  body: 'Hello, World!',
  signature: 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
};
const PUSH = {
  secret: 'gh-secret-3f9a',
  body: '{"action":"opened","number":7}',
  signature: 'sha256=e22c5945edf572fb38d2b7f19d4d0917bf0736fe3a5468920d2e9c9983b3259a',
};

const request = (body: string, headers: Record<string, string | string[]>) => ({
  body: Buffer.from(body),
  headers,
});

describe('GitHub signature verification', () => {
  it("accepts GitHub's documented example and a JSON delivery signed with X-Hub-Signature-256", () => {
    assert.deepEqual(
      verifyGithubSignature(request(DOCS.body, { 'x-hub-signature-256': DOCS.signature }), DOCS.secret),
      { ok: true },
    );
    assert.deepEqual(
      verifyGithubSignature(request(PUSH.body, { 'X-Hub-Signature-256': PUSH.signature }), PUSH.secret),
      { ok: true },
    );
  });

  it('accepts the hex digest in upper case', () => {
    const upper = `sha256=${PUSH.signature.slice(7).toUpperCase()}`;
    assert.deepEqual(
      verifyGithubSignature(request(PUSH.body, { 'x-hub-signature-256': upper }), PUSH.secret),
      { ok: true },
    );
  });

  it('refuses a tampered body, another secret, or a missing, malformed or repeated header, saying why', () => {
    const headers = { 'x-hub-signature-256': PUSH.signature };
    assert.deepEqual(verifyGithubSignature(request(PUSH.body.replace('7', '8'), headers), PUSH.secret), {
      ok: false,
      reason: 'signature in X-Hub-Signature-256 does not match the body',
    });
    assert.equal(verifyGithubSignature(request(PUSH.body, headers), 'another-secret').ok, false);
    assert.deepEqual(verifyGithubSignature(request(PUSH.body, {}), PUSH.secret), {
      ok: false,
      reason: 'missing header X-Hub-Signature-256',
    });
    assert.deepEqual(
      verifyGithubSignature(
        request(PUSH.body, { 'x-hub-signature-256': PUSH.signature.slice(7) }),
        PUSH.secret,
      ),
      {
        ok: false,
        reason: 'X-Hub-Signature-256 must be sha256=<64 hex digits>',
      },
    );
    assert.equal(
      verifyGithubSignature(
        request(PUSH.body, { 'x-hub-signature-256': [PUSH.signature, PUSH.signature] }),
        PUSH.secret,
      ).ok,
      false,
    );
    assert.equal(
      verifyGithubSignature(request(PUSH.body, { 'x-hub-signature': 'sha1=0000' }), PUSH.secret).ok,
      false,
      'the SHA-1 header is not enough',
    );
  });
});
