/**
 * For a MicroBatcher's flush: runs the batch as one statement; if that fails, runs each item
 * alone, so one bad row fails only its own caller. Failures come back as values; callers
 * unwrap their own with `throwIfError`.
 */
export async function rowByRowOnFailure<T, R>(items: T[], run: (batch: T[]) => Promise<R[]>): Promise<(R | Error)[]> {
  try {
    return await run(items);
  } catch (error) {
    if (items.length === 1) return [asError(error)];
    return Promise.all(items.map((item) => run([item]).then((results) => results[0], asError)));
  }
}

export function throwIfError<R>(result: R | Error): R {
  if (result instanceof Error) throw result;
  return result;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
