/**
 * Opens the store's SQLite file: creates it owner-only when missing, switches on WAL, a busy
 * timeout and foreign keys, checks it is intact, and migrates its schema.
 */
import { closeSync, openSync } from 'node:fs';
import { JujuSshError } from '@juju-ssh/core';
import Database from 'better-sqlite3';
import { migrate } from './schema.js';
import { BUSY_TIMEOUT_MS, storeError } from './store-errors.js';

/**
 * Opens (creating if needed) the store at `path`.
 * @throws JujuSshError `store` naming the file and what to do about it.
 */
export function openDatabase(path: string): Database.Database {
  let db: Database.Database | undefined;
  try {
    createOwnerOnly(path);
    db = new Database(path, { fileMustExist: true });
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    switchToWal(db, path);
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    checkIntact(db, path);
    migrate(db, path);
    return db;
  } catch (err) {
    db?.close();
    throw storeError(path, err);
  }
}

/** Creates an empty file with mode 0600; SQLite gives its -wal and -shm files the same mode. */
function createOwnerOnly(path: string): void {
  try {
    closeSync(openSync(path, 'wx', 0o600));
  } catch (err) {
    if (!(err instanceof Error && 'code' in err && err.code === 'EEXIST')) throw err;
  }
}

function switchToWal(db: Database.Database, path: string): void {
  const mode = String(db.pragma('journal_mode = WAL', { simple: true }));
  if (mode !== 'wal') {
    throw new JujuSshError(
      'store',
      `the store at ${path} cannot use write-ahead logging (journal mode stayed ${mode}); ` +
        'keep the data directory on a local file system',
    );
  }
}

function checkIntact(db: Database.Database, path: string): void {
  const result = String(db.pragma('quick_check(1)', { simple: true })).replace(/\s+/g, ' ');
  if (result !== 'ok') {
    throw new JujuSshError(
      'store',
      `the store at ${path} is damaged (${result}); move it aside and restore it from a backup`,
    );
  }
}
