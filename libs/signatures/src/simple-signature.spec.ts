import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { simpleSignature } from './simple-signature';

// Expected values are facts from outside this code: Convoy's published vectors
// (frain-dev/convoy pkg/signature/testdata/signature-vectors.json) and
// `printf '%s' BODY | openssl dgst -sha256 -hmac SECRET` (`-binary | base64` for base64).
const convoyPayload = '{"event":"charge.success","amount":1000,"currency":"NGN"}';
const convoySecret = 'convoy-webhook-secret';
const body = '{"invoice_id":"inv_1","amount":100}';
const secret = 'whsec_Y2FyYXZhbi10ZXN0LXNlY3JldC1uZXctMDAwMDAwMDI=';

describe('simpleSignature', () => {
  it('matches Convoy vector simple_sha256_hex_valid', () => {
    assert.equal(
      simpleSignature(convoyPayload, convoySecret, { hash: 'sha256', encoding: 'hex' }),
      '244449b7f48cbc2709060c9dcdc2b3aa47a78f540430579015c579fb12defbb4',
    );
  });

  it('matches Convoy vector simple_sha256_base64_valid', () => {
    assert.equal(
      simpleSignature(convoyPayload, convoySecret, { hash: 'sha256', encoding: 'base64' }),
      'JERJt/SMvCcJBgydzcKzqkenj1QEMFeQFcV5+xLe+7Q=',
    );
  });

  it('matches Convoy vector simple_sha512_hex_valid', () => {
    assert.equal(
      simpleSignature(convoyPayload, convoySecret, { hash: 'sha512', encoding: 'hex' }),
      '6cc772dc81942ae1b5ffa91c3a6a07b0d37edc8dc6bd83e3518a219f1f19ff71ae1b76d6b320940d414c236a1aad7f7930b63e0f1928951955d31219545e1b66',
    );
  });

  it('matches Convoy vector simple_sha512_base64_valid', () => {
    assert.equal(
      simpleSignature(convoyPayload, convoySecret, { hash: 'sha512', encoding: 'base64' }),
      'bMdy3IGUKuG1/6kcOmoHsNN+3I3GvYPjUYohnx8Z/3GuG3bWsyCUDUFMI2oarX95MLY+DxkolRlV0xIZVF4bZg==',
    );
  });

  it('keys the HMAC with the whole whsec_ string, prefix included', () => {
    assert.equal(
      simpleSignature(body, secret, { hash: 'sha256', encoding: 'hex' }),
      'a41113dd2fd6109032888a720905ef2407b4547dc7809d23ab7a089832710f16',
    );
    assert.equal(
      simpleSignature(body, secret, { hash: 'sha512', encoding: 'base64' }),
      '+QOrIwZk5G1FqJgHKDsrK5SuY/Q8OLCD82qeAZJqlsy4swms2URjeMyjYlVlqW1WKH3tA7uxD72df13kpTXsjA==',
    );
  });

  it('signs a string body as UTF-8, the same as its bytes', () => {
    const unicode = '{"name":"Zoë ✓"}';
    const expected = 'cc0e559fbaefbec94c2af2dfc322431adaee172ca36036af508b020e0b47b344';
    assert.equal(simpleSignature(unicode, secret, { hash: 'sha256', encoding: 'hex' }), expected);
    assert.equal(
      simpleSignature(Buffer.from(unicode, 'utf8'), secret, { hash: 'sha256', encoding: 'hex' }),
      expected,
    );
  });
});
