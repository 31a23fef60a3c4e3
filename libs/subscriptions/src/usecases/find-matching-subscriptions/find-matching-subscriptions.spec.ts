import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { Logger } from '@nestjs/common';
import { NoConfigChanges } from '@caravan/database';
import type { Subscription } from '../../entities/subscription.entity';
import type { SubscriptionRepository } from '../../repositories/subscription.repository';
import { FindMatchingSubscriptions, MatchableEvent } from './find-matching-subscriptions.usecase';

function subscription(
  id: string,
  endpointId: string,
  eventTypes: string[],
  filter: unknown = null,
  sourceId: string | null = null,
  projectId = 'p1',
): Subscription {
  return { id, projectId, endpointId, eventTypes, filter, sourceId } as Subscription;
}

function finder(subscriptions: Subscription[]) {
  const loads: string[] = [];
  const repository = {
    allOfProject: async (projectId: string) => {
      loads.push(projectId);
      return subscriptions;
    },
  } as unknown as SubscriptionRepository;
  const find = new FindMatchingSubscriptions(repository, new NoConfigChanges());
  // As routing does: the project's subscriptions, then the matches among them.
  const matchesOf = async (event: MatchableEvent) => find.among(await find.candidates(event.projectId), event);
  return { find, matchesOf, loads };
}

const event: MatchableEvent = {
  projectId: 'p1',
  eventType: 'order.created',
  data: { amount: 150, items: [{ sku: 'A1' }] },
  customHeaders: { 'X-Region': 'eu' },
};

describe('finding the subscriptions an event passes', () => {
  it('keeps subscriptions whose types match and whose body and header filters pass, in one load', async () => {
    const { matchesOf, loads } = finder([
      subscription('s1', 'e1', ['order.*'], { body: { amount: { $gte: 100 } } }),
      subscription('s2', 'e2', ['order.*'], { body: { amount: { $lt: 100 } } }),
      subscription('s3', 'e3', ['user.*'], { body: { amount: { $gte: 100 } } }),
      subscription('s4', 'e4', ['*'], { headers: { 'x-region': 'eu' }, body: { 'items.sku': 'A1' } }),
      subscription('s5', 'e5', ['*'], { headers: { 'X-Region': 'us' } }),
      subscription('s6', 'e6', ['order.created']),
      subscription('s7', 'e7', ['*'], {}),
    ]);
    const matches = await matchesOf(event);
    assert.deepEqual(
      matches.map((match) => match.subscriptionId),
      ['s1', 's4', 's6', 's7'],
    );
    assert.deepEqual(loads, ['p1']);
  });

  it('gives an endpoint one match, from its first subscription the event passes', async () => {
    const { matchesOf } = finder([
      subscription('s1', 'e1', ['order.*'], { body: { amount: 1 } }),
      subscription('s2', 'e1', ['order.*'], { body: { amount: 150 } }),
      subscription('s3', 'e1', ['*']),
    ]);
    assert.deepEqual(await matchesOf(event), [{ subscriptionId: 's2', endpointId: 'e1' }]);
  });

  it("routes a source's events to that source's subscriptions only, and API events to subscriptions without a source", async () => {
    const { matchesOf } = finder([
      subscription('s1', 'e1', ['*']),
      subscription('s2', 'e2', ['order.*'], null, 'src-a'),
      subscription('s3', 'e3', ['*'], { body: { amount: { $lt: 100 } } }, 'src-a'),
      subscription('s4', 'e4', ['*'], null, 'src-b'),
    ]);
    const ids = async (sourceId?: string | null) => (await matchesOf({ ...event, sourceId })).map((match) => match.subscriptionId);
    assert.deepEqual(await ids('src-a'), ['s2'], 'type and filter still apply');
    assert.deepEqual(await ids('src-b'), ['s4']);
    assert.deepEqual(await ids(null), ['s1']);
    assert.deepEqual(await ids(undefined), ['s1']);
  });

  it('skips a stored filter that no longer compiles instead of failing the whole event', async () => {
    Logger.overrideLogger(false);
    const { matchesOf } = finder([
      subscription('s1', 'e1', ['*'], { body: { amount: { $unknown: 1 } } }),
      subscription('s2', 'e2', ['*']),
    ]);
    assert.deepEqual(await matchesOf(event), [{ subscriptionId: 's2', endpointId: 'e2' }]);
  });

  it("matches only the event's project's subscriptions among the candidates it is given", () => {
    const { find } = finder([]);
    const candidates = [
      subscription('other', 'e9', ['order.*'], null, null, 'p2'),
      subscription('own', 'e1', ['order.*']),
    ];
    assert.deepEqual(find.among(candidates, event), [{ subscriptionId: 'own', endpointId: 'e1' }]);
  });
});
