import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { idBoundAt, newId } from '@caravan/common';
import { effectiveRetention, retentionCutoffs } from './retention-policy';

describe('retention policy', () => {
  it('uses the instance default for what a project leaves null or unset', () => {
    assert.deepEqual(effectiveRetention(undefined, 30), { eventsDays: 30, deliveriesDays: 30 });
    assert.deepEqual(effectiveRetention({ events_days: null, deliveries_days: 7 }, 30), { eventsDays: 30, deliveriesDays: 7 });
    assert.deepEqual(effectiveRetention({ events_days: 90, deliveries_days: null }, 30), { eventsDays: 90, deliveriesDays: 30 });
  });

  it('never keeps deliveries longer than their events', () => {
    assert.deepEqual(effectiveRetention({ events_days: 7, deliveries_days: null }, 30), { eventsDays: 7, deliveriesDays: 7 });
  });

  it('puts the cutoffs at the first id of the cutoff millisecond, so newer rows stay', () => {
    const now = new Date('2025-03-31T12:00:00.000Z');
    const cutoffs = retentionCutoffs({ eventsDays: 30, deliveriesDays: 7 }, now);
    assert.equal(cutoffs.eventsBeforeId, idBoundAt(new Date('2025-03-01T12:00:00.000Z'), 'lowest'));
    assert.equal(cutoffs.deliveriesBeforeId, idBoundAt(new Date('2025-03-24T12:00:00.000Z'), 'lowest'));
    const fresh = newId();
    assert.ok(fresh > cutoffs.eventsBeforeId && fresh > cutoffs.deliveriesBeforeId, 'an id made now is kept');
    assert.ok(idBoundAt(new Date('2025-03-01T11:59:59.999Z'), 'highest') < cutoffs.eventsBeforeId, 'a millisecond older is purged');
  });
});
