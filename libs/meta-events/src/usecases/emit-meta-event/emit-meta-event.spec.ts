import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { DEFAULT_PROJECT_CONFIG, GetProject, ProjectConfig } from '@caravan/projects';
import type { JobQueue } from '@caravan/queue';
import type { MetaEventRepository, NewMetaEvent } from '../../repositories/meta-event.repository';
import { EmitMetaEvent } from './emit-meta-event.usecase';

/** Fakes at the I/O boundary (no database, no queue): they record every call, so "no I/O" is checkable. */
function fakes(failInsert = false) {
  const inserted: NewMetaEvent[][] = [];
  const queued: unknown[][] = [];
  const repository = {
    insertMany: async (rows: NewMetaEvent[]) => {
      if (failInsert) throw new Error('database down');
      inserted.push(rows);
    },
  } as unknown as MetaEventRepository;
  const queue = { sendMetaEvents: async (jobs: unknown[]) => void queued.push(jobs) } as unknown as JobQueue;
  const getProject = { recent: async () => assert.fail('the config in hand must be used') } as unknown as GetProject;
  return { emit: new EmitMetaEvent(repository, getProject, queue), inserted, queued };
}

const enabled = (event_types = DEFAULT_PROJECT_CONFIG.meta_events.event_types): ProjectConfig => ({
  ...DEFAULT_PROJECT_CONFIG,
  meta_events: { enabled: true, url: 'https://example.com/meta', event_types, secret: 'enc:v1:x' },
});

describe('EmitMetaEvent (fake repository and queue)', () => {
  it('does no I/O at all, not even reading the resource, when the project does not want the type', async () => {
    const { emit, inserted, queued } = fakes();
    let reads = 0;
    const read = async () => ((reads += 1), { id: 'e1' });
    await emit.withConfig('p1', DEFAULT_PROJECT_CONFIG, 'eventdelivery.success', read);
    await emit.withConfig('p1', enabled(['endpoint.deleted']), 'eventdelivery.success', read);
    await emit.withConfig('p1', { ...enabled(), meta_events: { ...enabled().meta_events, url: null } }, 'endpoint.created', read);
    assert.deepEqual([reads, inserted.length, queued.length], [0, 0, 0]);
  });

  it('stores the events of one moment in one insert and queues their first attempts in one call', async () => {
    const { emit, inserted, queued } = fakes();
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => emit.withConfig('p1', enabled(), 'eventdelivery.success', { id: `d${i}` })),
    );
    assert.equal(inserted.length, 1);
    assert.equal(inserted[0].length, 5);
    assert.deepEqual(JSON.parse(inserted[0][2].payload), { event_type: 'eventdelivery.success', data: { id: 'd2' } });
    assert.deepEqual(queued, [inserted[0].map((row) => ({ projectId: 'p1', metaEventId: row.id, attempt: 1 }))]);
  });

  it('never fails the caller: what the event reports has already happened', async () => {
    const { emit, queued } = fakes(true);
    await emit.withConfig('p1', enabled(), 'endpoint.created', { id: 'e1' });
    assert.equal(queued.length, 0, 'nothing queued for a row that was not stored');
  });
});
