import * as fs from 'node:fs';
import * as path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { DataDirLock } from './data-dir-lock';

// Longest Unix socket path Linux and macOS accept, less the terminating NUL.
const MAX_SOCKET_PATH = 103;
const SOCKET_FILE = '.s.PGSQL.5432';
// Caravan's one pooled connection, and a spare for a person with psql (see the README).
const MAX_CONNECTIONS = 2;

/**
 * PostgreSQL in this process: PGlite (Postgres compiled to WebAssembly) with its files in the data
 * directory, served on the Postgres wire protocol so that `pg` and TypeORM, and so the same
 * migrations and repositories, run unchanged. It listens on a Unix socket inside the data
 * directory, which only this user can reach; on loopback TCP when that path would be too long.
 */
export class EmbeddedPostgres {
  private constructor(
    readonly url: string,
    readonly dataDir: string,
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    private readonly lock: DataDirLock,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    const dir = path.resolve(dataDir);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const lock = DataDirLock.acquire(dir);
    try {
      const db = await PGlite.create({ dataDir: path.join(dir, 'postgres') });
      const socket = path.join(dir, SOCKET_FILE);
      const useSocket = socket.length <= MAX_SOCKET_PATH;
      // A socket file left by a process that was killed; the lock says it is not in use.
      if (useSocket) fs.rmSync(socket, { force: true });
      const server = new PGLiteSocketServer(
        useSocket ? { db, path: socket, maxConnections: MAX_CONNECTIONS } : { db, host: '127.0.0.1', port: 0, maxConnections: MAX_CONNECTIONS },
      );
      await server.start();
      const url = useSocket
        ? `postgres://postgres@localhost/postgres?host=${encodeURIComponent(dir)}`
        : `postgres://postgres@${server.getServerConn()}/postgres`;
      return new EmbeddedPostgres(url, dir, db, server, lock);
    } catch (error) {
      lock.release();
      throw error;
    }
  }

  /** Call after every connection is closed: PGlite flushes and closes its files. */
  async stop(): Promise<void> {
    try {
      await this.server.stop();
      await this.db.close();
    } finally {
      this.lock.release();
    }
  }
}
