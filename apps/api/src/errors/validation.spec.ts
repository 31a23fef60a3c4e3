import { describe, it } from 'node:test';
import * as assert from 'node:assert/strict';
import { IsDefined, IsObject, IsString } from 'class-validator';
import { InvalidInputError, OpaqueJson } from '@caravan/common';
import { createValidationPipe } from './validation';

class WithPayload {
  @IsString()
  kind!: string;

  @IsDefined()
  @IsObject({ message: 'payload must be a JSON object' })
  @OpaqueJson()
  payload!: unknown;
}

class Plain {
  @IsDefined()
  @IsObject()
  nested!: Record<string, unknown>;
}

const pipe = createValidationPipe();
const asBody = (metatype: unknown) => ({ type: 'body' as const, metatype: metatype as new () => unknown });

async function refusal(value: unknown, metatype: unknown): Promise<InvalidInputError> {
  const error = await pipe.transform(value, asBody(metatype)).then(() => null, (e: unknown) => e);
  assert.ok(error instanceof InvalidInputError, `refused: ${String(error)}`);
  return error;
}

describe('the request validation pipe', () => {
  it('hands an opaque JSON field on as parsed, not copied, inside a DTO instance', async () => {
    const payload = { invoice: { lines: [{ sku: 'A1', qty: 2 }] }, note: null };
    const dto = (await pipe.transform({ kind: 'x', payload }, asBody(WithPayload))) as WithPayload;
    assert.ok(dto instanceof WithPayload);
    assert.equal(dto.payload, payload);
    assert.deepEqual(dto.payload, { invoice: { lines: [{ sku: 'A1', qty: 2 }] }, note: null });
  });

  it('still checks an opaque field by its own decorators, naming it', async () => {
    for (const payload of ['text', 12, [1, 2], null]) {
      const error = await refusal({ kind: 'x', payload }, WithPayload);
      assert.equal(error.field, 'payload', `payload ${JSON.stringify(payload)}`);
    }
    assert.equal((await refusal({ kind: 'x' }, WithPayload)).field, 'payload');
  });

  it('still refuses unknown and invalid fields beside an opaque one', async () => {
    assert.equal((await refusal({ kind: 'x', payload: {}, extra: 1 }, WithPayload)).message, 'unknown field "extra"');
    assert.equal((await refusal({ kind: 5, payload: {} }, WithPayload)).field, 'kind');
  });

  it('copies a DTO without opaque fields as before', async () => {
    const nested = { a: { b: 1 } };
    const dto = (await pipe.transform({ nested }, asBody(Plain))) as Plain;
    assert.ok(dto instanceof Plain);
    assert.deepEqual(dto.nested, nested);
    assert.notEqual(dto.nested, nested);
  });
});
