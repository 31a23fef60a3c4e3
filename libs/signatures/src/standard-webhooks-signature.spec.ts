import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  parseStandardWebhooksSignatureHeader,
  standardWebhooksKey,
  standardWebhooksSignatureHeader,
} from './standard-webhooks-signature';

// Expected values computed with openssl, keyed with the base64-decoded part of the secret:
// printf '%s' "ID.T.BODY" | openssl dgst -sha256 -mac HMAC -macopt hexkey:KEYHEX -binary | base64
const body = '{"invoice_id":"inv_1","amount":100}';
const oldSecret = 'whsec_Y2FyYXZhbi10ZXN0LXNlY3JldC1vbGQtMDAwMDAwMDE=';
const newSecret = 'whsec_Y2FyYXZhbi10ZXN0LXNlY3JldC1uZXctMDAwMDAwMDI=';
const id = '01JD4Q7X9E5ZKX3V8M2N6P0R1S';
const t = 1700000000;

describe('standardWebhooksSignatureHeader', () => {
  it('signs "<id>.<timestamp>.<body>" with HMAC-SHA256 of the decoded key, in base64', () => {
    assert.equal(
      standardWebhooksSignatureHeader(
        '{"test": 2432232314}',
        ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
        'msg_p5jXN8AQM9LWM0D4loKWxJek',
        1614265330,
      ),
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    );
    assert.equal(
      standardWebhooksSignatureHeader(body, [newSecret], id, t),
      'v1,GM6c8X3A2UMb+gPQUQBF0DWbYsPoxPsSDokMS5/YBm4=',
    );
  });

  it('sends one signature per active secret, space-separated, oldest first, during a rotation', () => {
    assert.equal(
      standardWebhooksSignatureHeader(body, [oldSecret, newSecret], id, t),
      'v1,ivxy8dxc2BHVDorlIcocjvlo0mS8K/q61PMrJu8IxJo= v1,GM6c8X3A2UMb+gPQUQBF0DWbYsPoxPsSDokMS5/YBm4=',
    );
  });

  it('keys a secret not in whsec_ form with its UTF-8 bytes', () => {
    // openssl dgst -sha256 -hmac 'my-plain-secret-ünïcode' -binary | base64
    assert.equal(
      standardWebhooksSignatureHeader(body, ['my-plain-secret-ünïcode'], id, t),
      'v1,T/bDzBG4FJPbVkpkUV1f7hmfBRscd/sGhrGb1v2Pw6Y=',
    );
  });

  it('signs a binary body byte for byte', () => {
    assert.equal(
      standardWebhooksSignatureHeader(Buffer.from([0xff, 0xfe, 0x00, 0x7b]), [newSecret], id, t),
      'v1,bxwR0iTh23JGIzN2JBXbK9WTLSEztg29yXNKbnKQveM=',
    );
  });
});

describe('standardWebhooksKey', () => {
  it('decodes the base64 after whsec_', () => {
    assert.equal(standardWebhooksKey(newSecret).toString('utf8'), 'caravan-test-secret-new-00000002');
  });

  it('accepts unpadded base64, as the reference library does', () => {
    assert.equal(standardWebhooksKey('whsec_YWJjZA').toString('utf8'), 'abcd');
  });

  it('refuses a whsec_ secret whose rest is not standard base64, rather than guess its key', () => {
    for (const secret of ['whsec_', 'whsec_abc-_def', 'whsec_YW Jj', 'whsec_abcde', 'whsec_YW=Jj']) {
      assert.throws(() => standardWebhooksKey(secret), TypeError, secret);
    }
  });

  it('uses the UTF-8 bytes of any other secret', () => {
    assert.deepEqual(standardWebhooksKey('plain-ü'), Buffer.from('plain-ü', 'utf8'));
  });
});

describe('parseStandardWebhooksSignatureHeader', () => {
  it('keeps the v1 signatures and skips other versions', () => {
    assert.deepEqual(parseStandardWebhooksSignatureHeader('v1a,xyz v1,abc= v2,def v1,ghi'), {
      ok: true,
      signatures: ['abc=', 'ghi'],
    });
  });

  it('rejects an entry without a version and a header without v1', () => {
    assert.equal(parseStandardWebhooksSignatureHeader('abc=').ok, false);
    assert.equal(parseStandardWebhooksSignatureHeader(',abc').ok, false);
    assert.deepEqual(parseStandardWebhooksSignatureHeader('v1a,abc'), {
      ok: false,
      problem: 'no v1 signature',
    });
  });
});
