import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { validateCustomHeaders } from './custom-headers';

describe('custom headers', () => {
  it('accepts ordinary headers', () => {
    assert.deepEqual(validateCustomHeaders({ 'X-Tenant': 'acme' }), { 'X-Tenant': 'acme' });
    assert.equal(validateCustomHeaders(undefined), null);
    assert.equal(validateCustomHeaders({}), null);
  });

  for (const [headers, field] of [
    [{ 'Content-Type': 'text/plain' }, 'custom_headers.Content-Type'],
    [{ 'X-Caravan-Signature': 'forged' }, 'custom_headers.X-Caravan-Signature'],
    [{ 'Bad Header': 'x' }, 'custom_headers.Bad Header'],
    [{ 'X-Split': 'a\r\nInjected: yes' }, 'custom_headers.X-Split'],
    [{ 'X-Number': 5 }, 'custom_headers.X-Number'],
    [['X-A'], 'custom_headers'],
  ] as const) {
    it(`rejects ${JSON.stringify(headers)} naming ${field}`, () => {
      assert.throws(() => validateCustomHeaders(headers), { status: 400, field });
    });
  }
});
