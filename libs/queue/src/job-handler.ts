/** A job as its handler sees it, whichever queue adapter runs it. */
export interface QueuedJob<T = unknown> {
  readonly id: string;
  readonly name: string;
  readonly data: T;
  /** What an earlier run of this job saved with saveProgress, if any. */
  readonly progress: unknown;
  saveProgress(progress: object): Promise<void>;
}

/**
 * Returned by a handler to run the same job again later, with new data: the job keeps its id, so
 * nobody can enqueue a duplicate meanwhile, and no failed try is counted.
 */
export class Deferral<T = unknown> {
  constructor(
    readonly delayMs: number,
    readonly data: T,
  ) {}
}

/** Works one queue's jobs. Throwing fails the try; the adapter retries it a few times. */
export abstract class JobHandler<T = unknown> {
  abstract handle(job: QueuedJob<T>): Promise<unknown>;
}

/** Tries a job gets before it is dropped; Postgres still says what is owed, and the sweeper finds it again. */
export const JOB_ATTEMPTS = 3;
/** The first retry waits this long, and each later one twice the previous. */
export const JOB_BACKOFF_MS = 1000;
