import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { SignatureScheme } from './signature-options';
import { signWebhook } from './sign-webhook';
import { verifyWebhook, WebhookHeaders } from './verify-webhook';

const body = '{"invoice_id":"inv_1","amount":100}';
const oldSecret = 'whsec_Y2FyYXZhbi10ZXN0LXNlY3JldC1vbGQtMDAwMDAwMDE=';
const newSecret = 'whsec_Y2FyYXZhbi10ZXN0LXNlY3JldC1uZXctMDAwMDAwMDI=';
const messageId = '01JD4Q7X9E5ZKX3V8M2N6P0R1S';
const now = 1700000000;
const schemes: SignatureScheme[] = ['simple', 'advanced', 'standard-webhooks'];
const timedSchemes: SignatureScheme[] = ['advanced', 'standard-webhooks'];

function sign(scheme: SignatureScheme, secrets: string[], timestamp = now): Record<string, string> {
  return signWebhook({ scheme, secrets, body, timestamp, messageId });
}

function verify(scheme: SignatureScheme, secret: string | string[], headers: WebhookHeaders, extra = {}) {
  return verifyWebhook({ scheme, secret, body, headers, now, ...extra });
}

const noMatch = { ok: false, reason: 'no signature matches' };
const outsideTolerance = { ok: false, reason: 'timestamp outside tolerance' };

describe('verifyWebhook', () => {
  for (const scheme of schemes) {
    it(`${scheme}: accepts a request Caravan signed`, () => {
      assert.deepEqual(verify(scheme, newSecret, sign(scheme, [newSecret])), { ok: true });
    });

    it(`${scheme}: accepts the raw body as a Buffer`, () => {
      const result = verifyWebhook({
        scheme,
        secret: newSecret,
        body: Buffer.from(body),
        headers: sign(scheme, [newSecret]),
        now,
      });
      assert.deepEqual(result, { ok: true });
    });

    it(`${scheme}: rejects a body changed by one byte`, () => {
      const headers = sign(scheme, [newSecret]);
      assert.deepEqual(
        verifyWebhook({ scheme, secret: newSecret, body: body.replace('100', '101'), headers, now }),
        noMatch,
      );
    });

    it(`${scheme}: rejects a signature made with another secret`, () => {
      assert.deepEqual(verify(scheme, newSecret, sign(scheme, ['whsec_d3Jvbmctc2VjcmV0'])), noMatch);
    });

    it(`${scheme}: rejects when only an expired secret would match (signed with the new one, receiver holds the old)`, () => {
      assert.deepEqual(verify(scheme, oldSecret, sign(scheme, [newSecret])), noMatch);
    });

    it(`${scheme}: a receiver holding old and new secrets accepts a request signed with the new one alone`, () => {
      assert.deepEqual(verify(scheme, [oldSecret, newSecret], sign(scheme, [newSecret])), { ok: true });
    });

    it(`${scheme}: finds headers whatever their case, and as one-element arrays`, () => {
      const upper = Object.fromEntries(
        Object.entries(sign(scheme, [newSecret])).map(([k, v]) => [k.toUpperCase(), [v]]),
      );
      assert.deepEqual(verify(scheme, newSecret, upper), { ok: true });
    });

    it(`${scheme}: rejects a signature header sent twice`, () => {
      const headers: WebhookHeaders = { ...sign(scheme, [newSecret]) };
      const name = scheme === 'standard-webhooks' ? 'webhook-signature' : 'x-caravan-signature';
      headers[name] = [headers[name] as string, headers[name] as string];
      assert.deepEqual(verify(scheme, newSecret, headers), {
        ok: false,
        reason: `malformed header ${name}: sent more than once`,
      });
    });
  }

  for (const scheme of timedSchemes) {
    it(`${scheme}: both an old-secret and a new-secret receiver accept a request signed during a rotation`, () => {
      const headers = sign(scheme, [oldSecret, newSecret]);
      assert.deepEqual(verify(scheme, oldSecret, headers), { ok: true });
      assert.deepEqual(verify(scheme, newSecret, headers), { ok: true });
    });

    it(`${scheme}: accepts a timestamp exactly the tolerance away, either way`, () => {
      assert.deepEqual(verify(scheme, newSecret, sign(scheme, [newSecret], now - 300)), { ok: true });
      assert.deepEqual(verify(scheme, newSecret, sign(scheme, [newSecret], now + 300)), { ok: true });
    });

    it(`${scheme}: rejects a stale timestamp (replay) and one too far in the future`, () => {
      assert.deepEqual(verify(scheme, newSecret, sign(scheme, [newSecret], now - 301)), outsideTolerance);
      assert.deepEqual(verify(scheme, newSecret, sign(scheme, [newSecret], now + 301)), outsideTolerance);
    });

    it(`${scheme}: uses the tolerance it is given`, () => {
      const headers = sign(scheme, [newSecret], now - 3600);
      assert.deepEqual(verify(scheme, newSecret, headers), outsideTolerance);
      assert.deepEqual(verify(scheme, newSecret, headers, { toleranceSeconds: 3600 }), { ok: true });
    });

    it(`${scheme}: rejects a replay whose timestamp was rewritten, since the timestamp is signed`, () => {
      const headers = sign(scheme, [newSecret], now - 3600);
      const rewritten =
        scheme === 'advanced'
          ? { 'x-caravan-signature': headers['x-caravan-signature'].replace(`t=${now - 3600}`, `t=${now}`) }
          : { ...headers, 'webhook-timestamp': String(now) };
      assert.deepEqual(verify(scheme, newSecret, rewritten), noMatch);
    });
  }

  it('simple: carries the newest secret only, so a receiver holding just the old one rejects during a rotation', () => {
    const headers = sign('simple', [oldSecret, newSecret]);
    assert.deepEqual(verify('simple', oldSecret, headers), noMatch);
    assert.deepEqual(verify('simple', newSecret, headers), { ok: true });
  });

  it('simple: has no timestamp, so it accepts an old request (receivers deduplicate on the idempotency key)', () => {
    assert.deepEqual(verify('simple', newSecret, sign('simple', [newSecret], 0)), { ok: true });
  });

  it('simple and advanced: compare with the configured hash and encoding', () => {
    for (const scheme of ['simple', 'advanced'] as const) {
      const headers = signWebhook({
        scheme,
        hash: 'sha512',
        encoding: 'base64',
        secrets: [newSecret],
        body,
        timestamp: now,
        messageId,
      });
      assert.deepEqual(verify(scheme, newSecret, headers, { hash: 'sha512', encoding: 'base64' }), {
        ok: true,
      });
      assert.deepEqual(verify(scheme, newSecret, headers, { hash: 'sha512', encoding: 'hex' }), noMatch);
      assert.deepEqual(verify(scheme, newSecret, headers, { hash: 'sha256', encoding: 'base64' }), noMatch);
    }
  });

  it('simple and advanced: read the configured header', () => {
    const headers = signWebhook({
      scheme: 'advanced',
      header: 'X-Convoy-Signature',
      secrets: [newSecret],
      body,
      timestamp: now,
      messageId,
    });
    assert.deepEqual(verify('advanced', newSecret, headers, { header: 'X-Convoy-Signature' }), { ok: true });
    assert.deepEqual(verify('advanced', newSecret, headers), {
      ok: false,
      reason: 'missing header x-caravan-signature',
    });
  });

  it('reports each missing header by name', () => {
    assert.deepEqual(verify('simple', newSecret, {}), {
      ok: false,
      reason: 'missing header x-caravan-signature',
    });
    assert.deepEqual(verify('advanced', newSecret, { 'x-caravan-signature': '  ' }), {
      ok: false,
      reason: 'missing header x-caravan-signature',
    });
    const full = sign('standard-webhooks', [newSecret]);
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
      const headers: WebhookHeaders = { ...full, [name]: undefined };
      assert.deepEqual(verify('standard-webhooks', newSecret, headers), {
        ok: false,
        reason: `missing header ${name}`,
      });
    }
  });

  it('advanced: rejects malformed headers', () => {
    const cases: Array<[string, string]> = [
      ['v1=5fa1bacd47f53ac74188ab936054750d661cdc11a73d6fc76f516f20ec13314b', 'no timestamp'],
      ['t=soon,v1=aa', 'timestamp is not unix seconds'],
      [`t=${now}`, 'no v1 signature'],
      [
        '5fa1bacd47f53ac74188ab936054750d661cdc11a73d6fc76f516f20ec13314b',
        'entry without a key: "5fa1bacd47f53ac74188ab936054750d661cdc11a73d6fc76f516f20ec13314b"',
      ],
    ];
    for (const [value, problem] of cases) {
      assert.deepEqual(verify('advanced', newSecret, { 'x-caravan-signature': value }), {
        ok: false,
        reason: `malformed header x-caravan-signature: ${problem}`,
      });
    }
  });

  it('standard-webhooks: rejects malformed headers', () => {
    const headers = sign('standard-webhooks', [newSecret]);
    assert.deepEqual(
      verify('standard-webhooks', newSecret, { ...headers, 'webhook-timestamp': '1700000000.5' }),
      {
        ok: false,
        reason: 'malformed header webhook-timestamp: not unix seconds',
      },
    );
    assert.deepEqual(
      verify('standard-webhooks', newSecret, {
        ...headers,
        'webhook-signature': 'GM6c8X3A2UMb+gPQUQBF0DWbYsPoxPsSDokMS5/YBm4=',
      }),
      {
        ok: false,
        reason:
          'malformed header webhook-signature: entry without a version: "GM6c8X3A2UMb+gPQUQBF0DWbYsPoxPsSDokMS5/YBm4="',
      },
    );
    assert.deepEqual(verify('standard-webhooks', newSecret, { ...headers, 'webhook-signature': 'v1a,abc' }), {
      ok: false,
      reason: 'malformed header webhook-signature: no v1 signature',
    });
  });

  it('standard-webhooks: the message id is signed, so changing it breaks the signature', () => {
    const headers = sign('standard-webhooks', [newSecret]);
    assert.deepEqual(
      verify('standard-webhooks', newSecret, { ...headers, 'webhook-id': 'evt_other' }),
      noMatch,
    );
  });

  it('standard-webhooks: accepts when any of several v1 signatures matches, skipping other versions', () => {
    const headers = sign('standard-webhooks', [newSecret]);
    const signature = `v1a,AAAA v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ${headers['webhook-signature']}`;
    assert.deepEqual(verify('standard-webhooks', newSecret, { ...headers, 'webhook-signature': signature }), {
      ok: true,
    });
  });

  it('rejects signatures of the wrong length without throwing', () => {
    assert.deepEqual(verify('simple', newSecret, { 'x-caravan-signature': 'ab' }), noMatch);
    assert.deepEqual(verify('advanced', newSecret, { 'x-caravan-signature': `t=${now},v1=ab` }), noMatch);
  });

  it('throws on a parsed body or a missing secret: receiver bugs, not bad requests', () => {
    const headers = sign('simple', [newSecret]);
    assert.throws(
      () => verifyWebhook({ scheme: 'simple', secret: newSecret, body: JSON.parse(body), headers }),
      TypeError,
    );
    assert.throws(() => verifyWebhook({ scheme: 'simple', secret: [], body, headers }), TypeError);
    assert.throws(() => verifyWebhook({ scheme: 'simple', secret: '', body, headers }), TypeError);
    assert.throws(
      () => verifyWebhook({ scheme: 'advanced', secret: newSecret, body, headers, toleranceSeconds: -1 }),
      TypeError,
    );
  });
});

// Convoy's published vectors (frain-dev/convoy pkg/signature/testdata/signature-vectors.json),
// checked under Convoy's own header name. Convoy's suite runs them against the current clock;
// a fixed `now` long after t=1700000000 does the same here.
describe('verifyWebhook against Convoy vectors', () => {
  const payload = '{"event":"charge.success","amount":1000,"currency":"NGN"}';
  const vectors: Array<{
    name: string;
    advanced: boolean;
    hash: 'sha256' | 'sha512';
    encoding: 'hex' | 'base64';
    header: string;
    tolerance: number;
    valid: boolean;
  }> = [
    {
      name: 'simple_sha256_hex_valid',
      advanced: false,
      hash: 'sha256',
      encoding: 'hex',
      header: '244449b7f48cbc2709060c9dcdc2b3aa47a78f540430579015c579fb12defbb4',
      tolerance: 3153600000,
      valid: true,
    },
    {
      name: 'simple_sha256_base64_valid',
      advanced: false,
      hash: 'sha256',
      encoding: 'base64',
      header: 'JERJt/SMvCcJBgydzcKzqkenj1QEMFeQFcV5+xLe+7Q=',
      tolerance: 3153600000,
      valid: true,
    },
    {
      name: 'simple_sha512_hex_valid',
      advanced: false,
      hash: 'sha512',
      encoding: 'hex',
      header:
        '6cc772dc81942ae1b5ffa91c3a6a07b0d37edc8dc6bd83e3518a219f1f19ff71ae1b76d6b320940d414c236a1aad7f7930b63e0f1928951955d31219545e1b66',
      tolerance: 3153600000,
      valid: true,
    },
    {
      name: 'simple_sha512_base64_valid',
      advanced: false,
      hash: 'sha512',
      encoding: 'base64',
      header: 'bMdy3IGUKuG1/6kcOmoHsNN+3I3GvYPjUYohnx8Z/3GuG3bWsyCUDUFMI2oarX95MLY+DxkolRlV0xIZVF4bZg==',
      tolerance: 3153600000,
      valid: true,
    },
    {
      name: 'advanced_sha256_hex_valid',
      advanced: true,
      hash: 'sha256',
      encoding: 'hex',
      header: 't=1700000000,v1=77b8b9269f25a199846a55a2bd25b3fba151c70fdae60bb1dcd87fbbc943c55c',
      tolerance: 3153600000,
      valid: true,
    },
    {
      name: 'advanced_sha256_base64_valid',
      advanced: true,
      hash: 'sha256',
      encoding: 'base64',
      header: 't=1700000000,v1=d7i5Jp8loZmEalWivSWz+6FRxw/a5gux3Nh/u8lDxVw=',
      tolerance: 3153600000,
      valid: true,
    },
    {
      name: 'advanced_sha512_hex_valid',
      advanced: true,
      hash: 'sha512',
      encoding: 'hex',
      header:
        't=1700000000,v1=b2122e252cd2582cf225cb2b8d4ceede9e34329e2fe95c02619c3ed5d4a3d9a73e6beaf2dff8e76d71a693ae198cee40685eed12ad4ee2e033dc2d0399ede057',
      tolerance: 3153600000,
      valid: true,
    },
    {
      name: 'advanced_sha512_base64_valid',
      advanced: true,
      hash: 'sha512',
      encoding: 'base64',
      header:
        't=1700000000,v1=shIuJSzSWCzyJcsrjUzu3p40Mp4v6VwCYZw+1dSj2ac+a+ry3/jnbXGmk64ZjO5AaF7tEq1O4uAz3C0Dme3gVw==',
      tolerance: 3153600000,
      valid: true,
    },
    {
      name: 'advanced_tamper',
      advanced: true,
      hash: 'sha256',
      encoding: 'hex',
      header: 't=1700000000,v1=77b8b9269f25a199846a55a2bd25b3fba151c70fdae60bb1dcd87fbbc943c550',
      tolerance: 3153600000,
      valid: false,
    },
    {
      name: 'advanced_expired',
      advanced: true,
      hash: 'sha256',
      encoding: 'hex',
      header: 't=1700000000,v1=77b8b9269f25a199846a55a2bd25b3fba151c70fdae60bb1dcd87fbbc943c55c',
      tolerance: 300,
      valid: false,
    },
    {
      name: 'advanced_t_not_first',
      advanced: true,
      hash: 'sha256',
      encoding: 'hex',
      header: 'v1=77b8b9269f25a199846a55a2bd25b3fba151c70fdae60bb1dcd87fbbc943c55c,t=1700000000',
      tolerance: 3153600000,
      valid: true,
    },
    {
      name: 'advanced_multi_v1_one_valid',
      advanced: true,
      hash: 'sha256',
      encoding: 'hex',
      header:
        't=1700000000,v1=449623e4897bbde05e35358293f97b8c2f697367ffa3e7466e98178dfba44d19,v1=77b8b9269f25a199846a55a2bd25b3fba151c70fdae60bb1dcd87fbbc943c55c',
      tolerance: 3153600000,
      valid: true,
    },
    {
      name: 'advanced_multi_v1_none_valid',
      advanced: true,
      hash: 'sha256',
      encoding: 'hex',
      header:
        't=1700000000,v1=449623e4897bbde05e35358293f97b8c2f697367ffa3e7466e98178dfba44d19,v1=c7eff1833c41a2ce2e195599451b240cd282b1bc9fa387e428a9fd5a5dc74933',
      tolerance: 3153600000,
      valid: false,
    },
    {
      name: 'advanced_t_infinity',
      advanced: true,
      hash: 'sha256',
      encoding: 'hex',
      header: 't=Infinity,v1=77b8b9269f25a199846a55a2bd25b3fba151c70fdae60bb1dcd87fbbc943c55c',
      tolerance: 3153600000,
      valid: false,
    },
    {
      name: 'advanced_numeric_signature',
      advanced: true,
      hash: 'sha256',
      encoding: 'hex',
      header: 't=1700000000,v1=1234567890',
      tolerance: 3153600000,
      valid: false,
    },
    {
      name: 'advanced_missing_timestamp',
      advanced: true,
      hash: 'sha256',
      encoding: 'hex',
      header:
        'v1=77b8b9269f25a199846a55a2bd25b3fba151c70fdae60bb1dcd87fbbc943c55c,v2=77b8b9269f25a199846a55a2bd25b3fba151c70fdae60bb1dcd87fbbc943c55c',
      tolerance: 3153600000,
      valid: false,
    },
    {
      name: 'simple_tamper',
      advanced: false,
      hash: 'sha256',
      encoding: 'hex',
      header: '244449b7f48cbc2709060c9dcdc2b3aa47a78f540430579015c579fb12defbb0',
      tolerance: 3153600000,
      valid: false,
    },
  ];

  for (const vector of vectors) {
    it(`${vector.valid ? 'accepts' : 'rejects'} ${vector.name}`, () => {
      const result = verifyWebhook({
        scheme: vector.advanced ? 'advanced' : 'simple',
        header: 'X-Convoy-Signature',
        hash: vector.hash,
        encoding: vector.encoding,
        secret: 'convoy-webhook-secret',
        body: payload,
        headers: { 'X-Convoy-Signature': vector.header },
        toleranceSeconds: vector.tolerance,
        now: 1800000000,
      });
      assert.equal(result.ok, vector.valid, JSON.stringify(result));
    });
  }
});
