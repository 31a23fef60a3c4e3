import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CaravanConfig } from '../config/caravan-config';

const KEY_FILE = 'encryption.key';

/**
 * The configured key, or outside production one generated on first start and kept in the data
 * directory (config refuses production without a key). Concurrent first starts agree on one key:
 * the file is created exclusively and a loser reads the winner's.
 */
export function resolveEncryptionKey(config: CaravanConfig): string {
  if (config.encryptionKey) return config.encryptionKey;
  const file = path.resolve(config.dataDir, KEY_FILE);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return fs.readFileSync(file, 'utf8').trim();
}
