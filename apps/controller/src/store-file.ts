/**
 * Opening the store of a bootstrapped data directory. Bootstrap always leaves a store with its
 * schema in it, so a store file of zero bytes is damage (a copy or restore cut short), not a
 * fresh start: it is refused by name instead of being quietly filled as a new, empty store.
 */
import { statSync } from 'node:fs';
import { JujuSshError } from '@juju-ssh/core';
import { SqliteStore } from '@juju-ssh/state';

/**
 * Opens the store at `path` for a controller that has been bootstrapped.
 * @throws JujuSshError `store` naming the file when it is empty or damaged.
 */
export function openControllerStore(path: string): SqliteStore {
  let size: number | undefined;
  try {
    size = statSync(path).size;
  } catch {
    // A missing store is the operator's way to start over with an empty one; SQLite makes it.
  }
  if (size === 0) {
    throw new JujuSshError(
      'store',
      `the store at ${path} is empty (0 bytes), which bootstrap never leaves it; restore it ` +
        'from a backup, or remove it to start with an empty store',
    );
  }
  return SqliteStore.open(path);
}
