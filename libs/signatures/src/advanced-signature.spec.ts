import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { advancedSignatureHeader, parseAdvancedSignatureHeader } from './advanced-signature';

// Expected values: Convoy's published vectors (frain-dev/convoy
// pkg/signature/testdata/signature-vectors.json, t=1700000000) and
// `printf '%s' "T,BODY" | openssl dgst -sha256 -hmac SECRET` (`-binary | base64` for base64).
const convoyPayload = '{"event":"charge.success","amount":1000,"currency":"NGN"}';
const convoySecret = 'convoy-webhook-secret';
const body = '{"invoice_id":"inv_1","amount":100}';
const oldSecret = 'whsec_Y2FyYXZhbi10ZXN0LXNlY3JldC1vbGQtMDAwMDAwMDE=';
const newSecret = 'whsec_Y2FyYXZhbi10ZXN0LXNlY3JldC1uZXctMDAwMDAwMDI=';
const t = 1700000000;

describe('advancedSignatureHeader', () => {
  it('matches Convoy vector advanced_sha256_hex_valid', () => {
    assert.equal(
      advancedSignatureHeader(convoyPayload, [convoySecret], t, { hash: 'sha256', encoding: 'hex' }),
      't=1700000000,v1=77b8b9269f25a199846a55a2bd25b3fba151c70fdae60bb1dcd87fbbc943c55c',
    );
  });

  it('matches Convoy vector advanced_sha256_base64_valid', () => {
    assert.equal(
      advancedSignatureHeader(convoyPayload, [convoySecret], t, { hash: 'sha256', encoding: 'base64' }),
      't=1700000000,v1=d7i5Jp8loZmEalWivSWz+6FRxw/a5gux3Nh/u8lDxVw=',
    );
  });

  it('matches Convoy vector advanced_sha512_hex_valid', () => {
    assert.equal(
      advancedSignatureHeader(convoyPayload, [convoySecret], t, { hash: 'sha512', encoding: 'hex' }),
      't=1700000000,v1=b2122e252cd2582cf225cb2b8d4ceede9e34329e2fe95c02619c3ed5d4a3d9a73e6beaf2dff8e76d71a693ae198cee40685eed12ad4ee2e033dc2d0399ede057',
    );
  });

  it('matches Convoy vector advanced_sha512_base64_valid', () => {
    assert.equal(
      advancedSignatureHeader(convoyPayload, [convoySecret], t, { hash: 'sha512', encoding: 'base64' }),
      't=1700000000,v1=shIuJSzSWCzyJcsrjUzu3p40Mp4v6VwCYZw+1dSj2ac+a+ry3/jnbXGmk64ZjO5AaF7tEq1O4uAz3C0Dme3gVw==',
    );
  });

  it('adds one v1 per active secret, oldest first, during a rotation (sha256, hex)', () => {
    assert.equal(
      advancedSignatureHeader(body, [oldSecret, newSecret], t, { hash: 'sha256', encoding: 'hex' }),
      't=1700000000' +
        ',v1=64d978770cf78723e83fe967bfdd6f7d3080ff7536c76a11f33b178eff09f1eb' +
        ',v1=5fa1bacd47f53ac74188ab936054750d661cdc11a73d6fc76f516f20ec13314b',
    );
  });

  it('adds one v1 per active secret during a rotation (sha512, base64)', () => {
    assert.equal(
      advancedSignatureHeader(body, [oldSecret, newSecret], t, { hash: 'sha512', encoding: 'base64' }),
      't=1700000000' +
        ',v1=CQSYJ0vk6aQEcWy8JhWVFf9fuWefJ8Cw+A4Adc6B8IQLOHqzXQu7AX8rD8HhXhO8lu3Xohkb42XKA3lB/Q8htw==' +
        ',v1=iDe/x2I5/PFS+vxGEHPzkRv9EJoJQ5U1opAwkz/gpe7xudc8rRB5NEfbBbCGtHBLA5beNv9DlwRT37IVo4n2Qw==',
    );
  });

  it('signs a whsec_ secret and the remaining encodings as openssl does', () => {
    assert.equal(
      advancedSignatureHeader(body, [newSecret], t, { hash: 'sha256', encoding: 'base64' }),
      't=1700000000,v1=X6G6zUf1OsdBiKuTYFR1DWYc3BGnPW/Hb1FvIOwTMUs=',
    );
    assert.equal(
      advancedSignatureHeader(body, [newSecret], t, { hash: 'sha512', encoding: 'hex' }),
      't=1700000000,v1=8837bfc76239fcf152fafc461073f3911bfd109a09439535a29030933fe0a5eef1b9d73cad10793447db05b086b4704b0396de36ff43970453dfb215a389f643',
    );
  });

  it('signs a binary body byte for byte', () => {
    assert.equal(
      advancedSignatureHeader(Buffer.from([0xff, 0xfe, 0x00, 0x7b]), [newSecret], t, {
        hash: 'sha256',
        encoding: 'hex',
      }),
      't=1700000000,v1=8bb524eae0962d900edc570ba0509636de9f9b3a8b18fc6caad92fb0b165889b',
    );
  });
});

describe('parseAdvancedSignatureHeader', () => {
  it('reads the timestamp and every v1, keeping the = padding of base64 values', () => {
    assert.deepEqual(parseAdvancedSignatureHeader('t=1700000000,v1=abc=,v1=de/f+=='), {
      ok: true,
      timestamp: 1700000000,
      signatures: ['abc=', 'de/f+=='],
    });
  });

  it('reads entries by key, so t may come after the signatures', () => {
    assert.deepEqual(parseAdvancedSignatureHeader('v1=aa,t=1700000000'), {
      ok: true,
      timestamp: 1700000000,
      signatures: ['aa'],
    });
  });

  it('ignores keys it does not know and spaces around entries', () => {
    assert.deepEqual(parseAdvancedSignatureHeader('t=5, v2=zz ,v1=aa'), {
      ok: true,
      timestamp: 5,
      signatures: ['aa'],
    });
  });

  it('rejects a header without a timestamp', () => {
    assert.deepEqual(parseAdvancedSignatureHeader('v1=aa,v2=aa'), { ok: false, problem: 'no timestamp' });
  });

  it('rejects a timestamp that is not whole unix seconds', () => {
    for (const value of ['t=Infinity,v1=aa', 't=-5,v1=aa', 't=1.5,v1=aa', 't=,v1=aa', 't=0x10,v1=aa']) {
      assert.deepEqual(
        parseAdvancedSignatureHeader(value),
        { ok: false, problem: 'timestamp is not unix seconds' },
        value,
      );
    }
  });

  it('rejects two timestamps', () => {
    assert.deepEqual(parseAdvancedSignatureHeader('t=1,t=2,v1=aa'), {
      ok: false,
      problem: 'more than one timestamp',
    });
  });

  it('rejects a header without a v1 signature', () => {
    assert.deepEqual(parseAdvancedSignatureHeader('t=1700000000'), { ok: false, problem: 'no v1 signature' });
    assert.deepEqual(parseAdvancedSignatureHeader('t=1700000000,v1='), {
      ok: false,
      problem: 'no v1 signature',
    });
  });

  it('rejects an entry without a key', () => {
    assert.equal(parseAdvancedSignatureHeader('t=1,abcdef').ok, false);
    assert.equal(parseAdvancedSignatureHeader('t=1,=abc').ok, false);
  });
});
