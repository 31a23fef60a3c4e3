/**
 * The fields of a patch that were given. A validated DTO holds every declared field, unsent ones
 * as undefined, and spreading those would erase stored values.
 */
export function definedFields<T extends object>(patch: T | null | undefined): Partial<T> {
  if (!patch) return {};
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<T>;
}
