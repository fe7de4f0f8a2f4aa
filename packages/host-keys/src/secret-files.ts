/**
 * Files that hold the controller's secrets (jump host key, virtual host key secret): read only
 * when no one but their owner can read them, written so that they never exist with a looser mode.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fchmodSync,
  fstatSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { JujuSshError } from '@juju-ssh/core';

const SECRET_MODE = 0o600;
const GROUP_OR_OTHER = 0o077;

/**
 * Reads a secret file, refusing one whose mode grants its group or others any access.
 * @throws JujuSshError `config` naming the file and what to do about it.
 */
export function readSecretFile(path: string): Buffer {
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO at the path must not hang the controller; fstat refuses it below.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fileError(path, 'read', err);
  }

  try {
    // Checking the open descriptor, not the path, so the file read is the file checked.
    const stat = fstatSync(fd);
    if (!stat.isFile()) {
      throw new JujuSshError('config', `secret file ${path} is not a regular file`);
    }
    const mode = stat.mode & 0o777;
    if ((mode & GROUP_OR_OTHER) !== 0) {
      throw new JujuSshError(
        'config',
        `secret file ${path} has mode ${octal(mode)}, which gives its group or others access; ` +
          `restrict it with: chmod 600 ${shellQuote(path)}`,
      );
    }
    return readFileSync(fd);
  } catch (err) {
    if (err instanceof JujuSshError) throw err;
    throw fileError(path, 'read', err);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes a secret file with mode 0600, replacing any file at `path` in one step: the data goes
 * to a new file in the same directory, created 0600, synced, then renamed over `path`.
 * @throws JujuSshError `config` when the directory cannot take the file.
 */
export function writeSecretFile(path: string, data: string | Uint8Array): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  let fd: number | undefined;
  try {
    // O_EXCL: never write through a file or link someone else put at the temporary name.
    fd = openSync(temp, 'wx', SECRET_MODE);
    // The umask may have taken bits away (0400, say); the file should be exactly 0600.
    fchmodSync(fd, SECRET_MODE);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) {
      written += writeSync(fd, bytes, written, bytes.length - written);
    }
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    removeQuietly(temp);
    throw fileError(path, 'write', err);
  }
  syncDirectory(dirname(path));
}

function fileError(path: string, action: 'read' | 'write', err: unknown): JujuSshError {
  return new JujuSshError('config', `cannot ${action} secret file ${path}: ${reason(err)}`, {
    cause: err,
  });
}

function reason(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? err.code : undefined;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Nothing to remove when the temporary file was never created; the caller's error stands.
  }
}

/** Makes the rename durable; directories that cannot be opened or synced are left as they are. */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a directory; the file itself is already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}

function shellQuote(path: string): string {
  return /^[A-Za-z0-9_./:@%+=-]+$/.test(path) ? path : `'${path.replaceAll("'", `'\\''`)}'`;
}
