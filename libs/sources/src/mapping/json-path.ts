/** A dotted path into a JSON document: `meta.type`, `items.0.id`. */
export const JSON_PATH = /^[A-Za-z0-9_$@-]{1,100}(\.[A-Za-z0-9_$@-]{1,100}){0,19}$/;

/** The value at a dotted path; numeric segments index arrays. Undefined when any step is missing. */
export function valueAtPath(document: unknown, path: string): unknown {
  let current = document;
  for (const segment of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(segment)) current = current[Number(segment)];
    else if (
      typeof current === 'object' &&
      current !== null &&
      !Array.isArray(current) &&
      Object.hasOwn(current, segment)
    ) {
      current = (current as Record<string, unknown>)[segment];
    } else return undefined;
  }
  return current;
}
