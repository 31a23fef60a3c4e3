import * as fs from 'node:fs';
import * as path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(dataDir: string, pid: number, lockFile: string) {
    super(
      `another Caravan process (pid ${pid}) is using the embedded data directory ${dataDir}. ` +
        'The embedded mode runs one process: stop the other one, or set DATABASE_URL and REDIS_URL to run several ' +
        `processes on PostgreSQL and Redis. If no Caravan is running, delete ${lockFile}.`,
    );
    this.name = 'DataDirLockedError';
  }
}

/**
 * One process per embedded data directory: two PGlite instances on the same files would corrupt
 * them. The lock is a file holding the owner's pid, created atomically; one left by a process that
 * died is taken over.
 */
export class DataDirLock {
  private constructor(private readonly file: string) {}

  static acquire(dataDir: string): DataDirLock {
    const file = path.join(dataDir, 'caravan.lock');
    for (let tries = 0; tries < 3; tries++) {
      try {
        fs.writeFileSync(file, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
        return new DataDirLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const owner = readOwner(file);
      if (owner !== null && owner !== process.pid && isAlive(owner)) throw new DataDirLockedError(dataDir, owner, file);
      fs.rmSync(file, { force: true });
    }
    throw new Error(`could not take the lock ${file}`);
  }

  release(): void {
    if (readOwner(this.file) === process.pid) fs.rmSync(this.file, { force: true });
  }
}

function readOwner(file: string): number | null {
  try {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
