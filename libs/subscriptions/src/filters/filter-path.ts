import { isJsonObject } from './json-value';

/** Every value a path reaches in a document; none when the path leads nowhere. */
export type PathResolver = (document: unknown) => unknown[];

const ARRAY_INDEX = /^(0|[1-9][0-9]*)$/;

/**
 * Resolves `["items", "sku"]` like MongoDB does: where a segment meets an array, a numeric
 * segment indexes it and any other segment is looked up in each of its object elements, so
 * `items.sku` reaches the sku of every item.
 */
export function compilePath(segments: readonly string[]): PathResolver {
  return (document) => {
    const found: unknown[] = [];
    collect(document, segments, 0, found);
    return found;
  };
}

function collect(value: unknown, segments: readonly string[], index: number, found: unknown[]): void {
  if (index === segments.length) {
    found.push(value);
    return;
  }
  const segment = segments[index];
  if (Array.isArray(value)) {
    if (ARRAY_INDEX.test(segment)) {
      const position = Number(segment);
      if (position < value.length) collect(value[position], segments, index + 1, found);
      return;
    }
    for (const element of value) if (isJsonObject(element)) collect(element, segments, index, found);
    return;
  }
  // hasOwn, so a path such as `constructor` or `__proto__` never reaches Object.prototype.
  if (isJsonObject(value) && Object.hasOwn(value, segment))
    collect(value[segment], segments, index + 1, found);
}
