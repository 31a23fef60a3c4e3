import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import type { EventTypeRepository } from '../../repositories/event-type.repository';
import { EventSchemaViolation } from '../../schema/schema-violation';
import { EVENT_TYPE_CATALOGUE_MAX_AGE_MS, ValidateEventData } from './validate-event-data.usecase';

/** A fake of the repository's two catalogue reads (the real ones run in the e2e suite), counting them. */
class FakeCatalogue {
  version = 'v1';
  schemas: { name: string; schema: Record<string, unknown> }[] = [
    { name: 'invoice.paid', schema: { type: 'object', required: ['amount'], properties: { amount: { type: 'integer' } } } },
  ];
  versionReads = 0;
  schemaReads = 0;

  asRepository(): EventTypeRepository {
    return {
      catalogueVersion: async () => (this.versionReads++, this.version),
      schemasOf: async () => (this.schemaReads++, this.schemas.map((row) => ({ ...row, schema: structuredClone(row.schema) }))),
    } as unknown as EventTypeRepository;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ValidateEventData', () => {
  it('checks data against its type schema, and lets other types and valid data pass', async () => {
    const validate = new ValidateEventData(new FakeCatalogue().asRepository());
    await validate.execute('p1', 'invoice.paid', { amount: 5 });
    await validate.execute('p1', 'invoice.created', { amount: 'not checked' });
    await assert.rejects(
      validate.execute('p1', 'invoice.paid', { amount: 'five' }),
      (error: unknown) => error instanceof EventSchemaViolation && error.field === 'data.amount' && error.status === 400,
    );
  });

  it('reads the catalogue once for many concurrent events, not once per event', async () => {
    const catalogue = new FakeCatalogue();
    const validate = new ValidateEventData(catalogue.asRepository());
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, (_, i) => validate.execute('p1', 'invoice.paid', { amount: i % 2 ? i : 'odd' })),
    );
    assert.equal(results.filter((result) => result.status === 'rejected').length, 500);
    assert.deepEqual([catalogue.versionReads, catalogue.schemaReads], [1, 1]);
  });

  it('after the cache age asks only whether the catalogue changed, and keeps compiled schemas that did not', async () => {
    const catalogue = new FakeCatalogue();
    const validate = new ValidateEventData(catalogue.asRepository());
    await validate.execute('p1', 'invoice.paid', { amount: 1 });
    await sleep(EVENT_TYPE_CATALOGUE_MAX_AGE_MS + 50);
    await validate.execute('p1', 'invoice.paid', { amount: 1 });
    assert.deepEqual([catalogue.versionReads, catalogue.schemaReads], [2, 1], 'unchanged: one short query, no schemas read');

    catalogue.version = 'v2';
    catalogue.schemas = [{ name: 'invoice.paid', schema: { type: 'object', properties: { amount: { type: 'string' } } } }];
    await sleep(EVENT_TYPE_CATALOGUE_MAX_AGE_MS + 50);
    await validate.execute('p1', 'invoice.paid', { amount: 'now a string' });
    assert.deepEqual([catalogue.versionReads, catalogue.schemaReads], [3, 2]);
  });

  it('sees a change made in this process at once after forget()', async () => {
    const catalogue = new FakeCatalogue();
    const validate = new ValidateEventData(catalogue.asRepository());
    await assert.rejects(validate.execute('p1', 'invoice.paid', {}), EventSchemaViolation);
    catalogue.schemas = [];
    catalogue.version = 'v2';
    await assert.rejects(validate.execute('p1', 'invoice.paid', {}), EventSchemaViolation, 'still the cached catalogue');
    validate.forget('p1');
    await validate.execute('p1', 'invoice.paid', {});
  });

  it('keeps projects apart', async () => {
    const withSchema = new FakeCatalogue();
    const validate = new ValidateEventData({
      catalogueVersion: async (projectId: string) => (projectId === 'p1' ? 'v1' : 'empty'),
      schemasOf: async (projectId: string) => (projectId === 'p1' ? withSchema.schemas : []),
    } as unknown as EventTypeRepository);
    await assert.rejects(validate.execute('p1', 'invoice.paid', {}), EventSchemaViolation);
    await validate.execute('p2', 'invoice.paid', {});
  });
});
