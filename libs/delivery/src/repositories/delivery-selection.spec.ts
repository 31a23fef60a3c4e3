import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { selectionSql } from './delivery-selection';

describe('selectionSql', () => {
  it('always scopes to the project and never takes a delivery in flight', () => {
    const params: unknown[] = [];
    const sql = selectionSql('p', { statuses: ['failure'] }, params);
    assert.equal(sql.from, 'event_deliveries d');
    assert.match(sql.where, /d\.project_id = \$2::uuid/);
    assert.match(sql.where, /d\.status <> 'processing'/);
    assert.equal(sql.statuses, '$1::text[]');
    assert.deepEqual(params, [['failure'], 'p']);
  });

  it('joins events only to filter by event type, and numbers parameters after those already given', () => {
    const params: unknown[] = ['earlier'];
    const after = new Date('2025-01-01T00:00:00Z');
    const sql = selectionSql(
      'p',
      { statuses: ['failure'], endpointId: 'e', eventType: 'invoice.paid', createdAfter: after },
      params,
    );
    assert.match(sql.from, /JOIN events e ON e\.id = d\.event_id AND e\.project_id = d\.project_id/);
    assert.match(sql.where, /d\.endpoint_id = \$4::uuid/);
    assert.match(sql.where, /d\.created_at >= \$5/);
    assert.match(sql.where, /e\.event_type = \$6/);
    assert.deepEqual(params, ['earlier', ['failure'], 'p', 'e', after, 'invoice.paid']);
  });
});
