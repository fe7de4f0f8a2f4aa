/**
 * Writing the CLI's files: the directory mode 0700 and each file mode 0600, replaced in one
 * step (a temporary file renamed over the old one) so a crash never leaves half a credential.
 */
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { JujuSshError } from '@juju-ssh/core';

/** Creates `dir` (and parents) owner-only if it is missing. */
export function ensurePrivateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new JujuSshError('config', `cannot create ${dir}: ${reason(error)}`);
  }
}

/** Replaces `path` with `text`, mode 0600. */
export function writePrivateFile(path: string, text: string): void {
  ensurePrivateDir(dirname(path));
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}`);
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    chmodSync(temp, 0o600);
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw new JujuSshError('config', `cannot write ${path}: ${reason(error)}`);
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
