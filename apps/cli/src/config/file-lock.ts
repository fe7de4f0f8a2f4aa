/**
 * A lock file beside a file the CLI rewrites, so two `juju-ssh` runs at once do not lose each
 * other's lines. The lock is a file created exclusively; one older than a minute is taken to be
 * left by a crashed run and removed.
 */
import { closeSync, openSync, rmSync, statSync } from 'node:fs';
import { JujuSshError } from '@juju-ssh/core';

const WAIT_MS = 10_000;
const STALE_MS = 60_000;
const POLL_MS = 20;

/** Runs `work` holding the lock `${path}.lock`. */
export function withFileLock<T>(path: string, work: () => T): T {
  const lock = `${path}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      closeSync(openSync(lock, 'wx', 0o600));
      break;
    } catch (error) {
      if (!isCode(error, 'EEXIST')) {
        throw new JujuSshError('config', `cannot create the lock file ${lock}: ${String(error)}`);
      }
      if (isStale(lock)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new JujuSshError(
          'config',
          `${path} stayed locked by another juju-ssh for ${WAIT_MS / 1000} s; if none is ` +
            `running, remove ${lock}`,
        );
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, POLL_MS);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { force: true });
  }
}

function isStale(lock: string): boolean {
  try {
    return Date.now() - statSync(lock).mtimeMs > STALE_MS;
  } catch {
    // Gone meanwhile: the next attempt will take it.
    return false;
  }
}

function isCode(error: unknown, code: string): boolean {
  return error instanceof Error && 'code' in error && error.code === code;
}
