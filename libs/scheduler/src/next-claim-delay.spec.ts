import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { MIN_CLAIM_DELAY_MS, nextClaimDelay } from './next-claim-delay';

const now = new Date('2025-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(now.getTime() + ms);

describe('nextClaimDelay', () => {
  it('waits one interval after a claim, less the time the run took', () => {
    assert.equal(nextClaimDelay({ claimed: true, dueAt: now, now }, 10_000, 0), 10_000);
    assert.equal(nextClaimDelay({ claimed: true, dueAt: now, now }, 10_000, 2_500), 7_500);
  });

  it('tries again at once (after the minimum) when a run outlasted its interval', () => {
    assert.equal(nextClaimDelay({ claimed: true, dueAt: now, now }, 1_000, 5_000), MIN_CLAIM_DELAY_MS);
  });

  it('sleeps until the due time another agent set', () => {
    assert.equal(nextClaimDelay({ claimed: false, dueAt: at(3_000), now }, 10_000, 0), 3_000);
  });

  it('never sleeps longer than its own interval, even for a far due time or a long lease', () => {
    assert.equal(nextClaimDelay({ claimed: false, dueAt: at(3_600_000), now }, 10_000, 0), 10_000);
  });

  it('does not spin when the due time has passed but the claim lost (another agent won meanwhile)', () => {
    assert.equal(nextClaimDelay({ claimed: false, dueAt: at(-50), now }, 10_000, 0), MIN_CLAIM_DELAY_MS);
  });
});
