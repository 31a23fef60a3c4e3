/**
 * A query parameter that takes several values, given comma-separated (`?status=retry,failure`),
 * repeated (`?status=retry&status=failure`) or both. Empty items are dropped and duplicates kept
 * once; anything that is neither a string nor a list of strings is passed on unchanged, for the
 * validator to refuse.
 */
export function listParameter(value: unknown): unknown {
  const items = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(items) || !items.every((item) => typeof item === 'string')) return value;
  const values = (items as string[]).flatMap((item) => item.split(',')).map((item) => item.trim());
  return [...new Set(values.filter((item) => item !== ''))];
}
