const OPAQUE_FIELDS = Symbol('caravan:opaque-json-fields');

type WithOpaqueFields = { [OPAQUE_FIELDS]?: string[] };

/**
 * Marks a DTO property holding arbitrary JSON (an event's `data`) that the request pipe checks
 * with the property's own decorators but does not copy key by key into a class instance: that
 * copy walked every payload twice (class-transformer, then Nest's prototype-key strip, which the
 * JSON parser has already done) and was a fifth of the api's CPU at full ingest load.
 */
export function OpaqueJson(): PropertyDecorator {
  return (target, property) => {
    const type = target.constructor as WithOpaqueFields;
    type[OPAQUE_FIELDS] = [...(type[OPAQUE_FIELDS] ?? []), String(property)];
  };
}

/** The @OpaqueJson properties of a DTO class; empty for anything else. */
export function opaqueJsonFields(type: unknown): readonly string[] {
  return typeof type === 'function' ? ((type as WithOpaqueFields)[OPAQUE_FIELDS] ?? []) : [];
}

/**
 * Stands in for an opaque value during validation: the same JSON kind (object, array, or the
 * primitive itself), so checks such as @IsObject give the same answer, without its contents.
 */
export function opaqueStandIn(value: unknown): unknown {
  if (Array.isArray(value)) return [];
  if (value !== null && typeof value === 'object') return {};
  return value;
}
