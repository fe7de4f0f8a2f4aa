/**
 * Turns failures of SQLite and of the file system into `store` errors that name the file and
 * say what the operator can do. Errors this package raised on purpose pass through unchanged.
 */
import { isJujuSshError, JujuSshError } from '@juju-ssh/core';

/** How long a statement waits for another process's write lock before giving up. */
export const BUSY_TIMEOUT_MS = 5_000;

/** Wraps `err` (anything thrown while using the store at `path`) in a `store` error. */
export function storeError(path: string, err: unknown): JujuSshError {
  if (isJujuSshError(err)) return err;
  const code = errorCode(err);
  const detail = err instanceof Error ? err.message : String(err);
  return new JujuSshError('store', describe(path, code, detail), { cause: err });
}

function describe(path: string, code: string, detail: string): string {
  if (code.startsWith('SQLITE_NOTADB') || code.startsWith('SQLITE_CORRUPT')) {
    return (
      `the store at ${path} is not a readable SQLite database (${detail}); move it aside and ` +
      'restore it from a backup, or remove it to start with an empty store'
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return (
      `the store at ${path} stayed locked by another process for more than ` +
      `${BUSY_TIMEOUT_MS / 1000} s; try again, and look for a stuck admin command`
    );
  }
  if (
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN') ||
    ['EACCES', 'EPERM', 'EROFS', 'EISDIR', 'ENOENT', 'ENOTDIR'].includes(code)
  ) {
    return (
      `cannot open the store at ${path} for reading and writing (${detail}); check that its ` +
      'directory exists and that this process may read and write both the file and the directory'
    );
  }
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') {
    return `the disk holding the store at ${path} is full; free some space and try again`;
  }
  return `the store at ${path} failed: ${detail}`;
}

function errorCode(err: unknown): string {
  if (typeof err === 'object' && err !== null && 'code' in err) {
    const { code } = err;
    if (typeof code === 'string') return code;
  }
  return '';
}
