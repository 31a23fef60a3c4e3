import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Event } from '../entities/event.entity';
import { EventContentCache } from './event-content-cache';

function event(id: string, projectId = 'p', payload = '{}'): Event {
  return Object.assign(new Event(), { id, projectId, payload, eventType: 't' });
}

describe('EventContentCache', () => {
  it('finds an event only within its own project', () => {
    const cache = new EventContentCache();
    cache.remember(event('e1', 'p1'));
    assert.equal(cache.find('p1', 'e1')?.id, 'e1');
    assert.equal(cache.find('p2', 'e1'), null);
    assert.equal(cache.find('p1', 'e2'), null);
  });

  it('drops the oldest events once the payload budget is spent', () => {
    const cache = new EventContentCache();
    const big = 'x'.repeat(2 * 1024 * 1024 - 10);
    for (let i = 0; i < 17; i++) cache.remember(event(`e${i}`, 'p', big));
    assert.equal(cache.find('p', 'e0'), null, 'the oldest went first');
    assert.equal(cache.find('p', 'e16')?.id, 'e16');
  });
});
