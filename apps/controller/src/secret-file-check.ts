/**
 * A first look at a secret file before it is read: one that is missing, or is not a plain
 * file, is refused with what the operator can do about it. Secrets cannot be made again
 * without changing the controller's identity, so the way back is a backup.
 */
import { statSync } from 'node:fs';
import { JujuSshError } from '@juju-ssh/core';

const REMEDY =
  "restore it, mode 0600, from a backup of this controller's data directory (every " +
  'controller of a cluster holds the same secrets), or bootstrap a new controller';

/**
 * Checks that the secret file at `path` is there and is a regular file.
 * @throws JujuSshError `config` naming the file and how to restore it.
 */
export function assertSecretFilePresent(path: string): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') return;
    throw new JujuSshError('config', `secret file ${path} is missing; ${REMEDY}`);
  }
  if (!isFile) {
    throw new JujuSshError(
      'config',
      `secret file ${path} is not a regular file (a directory, FIFO or device is never ` +
        `accepted); ${REMEDY}`,
    );
  }
}
