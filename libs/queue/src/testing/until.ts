import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` every 5 ms until it holds; fails after `timeoutMs`, naming `what`. */
export async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 3000, what = 'a condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met in ${timeoutMs} ms`);
    await sleep(5);
  }
}
