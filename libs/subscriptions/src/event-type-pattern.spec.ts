import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { matchesAny } from './event-type-pattern';

describe('event-type patterns', () => {
  const cases: [string[], string, boolean][] = [
    [['*'], 'invoice.paid', true],
    [['invoice.paid'], 'invoice.paid', true],
    [['invoice.paid'], 'invoice.paid.late', false],
    [['invoice.*'], 'invoice.paid', true],
    [['invoice.*'], 'invoice.line.added', true],
    [['invoice.*'], 'invoices.paid', false],
    [['invoice.*'], 'invoice', false],
    [['*.created'], 'user.created', true],
    [['*.created'], 'user.deleted', false],
    [['user.created', 'user.deleted'], 'user.deleted', true],
    [['a+b'], 'aab', false],
    [['a.b'], 'axb', false],
    [[], 'anything', false],
  ];
  for (const [patterns, type, expected] of cases) {
    it(`${JSON.stringify(patterns)} ${expected ? 'matches' : 'does not match'} ${type}`, () => {
      assert.equal(matchesAny(patterns, type), expected);
    });
  }
});
