import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JujuSshError } from '@juju-ssh/core';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { readSecretFile, writeSecretFile } from './secret-files.js';

// Every file opened through node:fs, with its mode at the moment it was opened, so a test can
// see the mode a secret had before anything else was done to it.
const opened = vi.hoisted((): { path: string; mode: number }[] => []);
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const openSync = (...args: Parameters<typeof fs.openSync>): number => {
    const fd = fs.openSync(...args);
    opened.push({ path: String(args[0]), mode: fs.fstatSync(fd).mode & 0o777 });
    return fd;
  };
  return { ...fs, default: { ...fs, openSync }, openSync };
});

const scratch = mkdtempSync(join(tmpdir(), 'secret-files-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let counter = 0;
function freshDir(): string {
  counter += 1;
  const dir = join(scratch, `d${counter}`);
  mkdirSync(dir);
  return dir;
}

function refusal(action: () => unknown): JujuSshError {
  try {
    action();
  } catch (err) {
    if (err instanceof JujuSshError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

const modeOf = (path: string): number => statSync(path).mode & 0o777;

describe('writeSecretFile', () => {
  it('creates the file with mode 0600 and the given bytes', () => {
    const path = join(freshDir(), 'secret');
    writeSecretFile(path, Uint8Array.from([0, 1, 2, 255]));
    expect(modeOf(path)).toBe(0o600);
    expect(readFileSync(path)).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('writes text as UTF-8', () => {
    const path = join(freshDir(), 'secret');
    writeSecretFile(path, 'clé\n');
    expect(readFileSync(path, 'utf8')).toBe('clé\n');
  });

  it('replaces a looser file with a 0600 one and leaves no temporary file behind', () => {
    const dir = freshDir();
    const path = join(dir, 'secret');
    writeFileSync(path, 'old');
    chmodSync(path, 0o644);
    writeSecretFile(path, 'new');
    expect(modeOf(path)).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['secret']);
  });

  it('sets 0600 exactly even when the umask would take the owner write bit away', () => {
    const path = join(freshDir(), 'secret');
    const previous = process.umask(0o277);
    try {
      writeSecretFile(path, 'x');
    } finally {
      process.umask(previous);
    }
    expect(modeOf(path)).toBe(0o600);
  });

  it('creates the temporary file 0600 from the start, under a permissive umask', () => {
    const dir = freshDir();
    const previous = process.umask(0);
    try {
      writeSecretFile(join(dir, 'secret'), 'x');
    } finally {
      process.umask(previous);
    }
    const created = opened.filter((entry) => entry.path.startsWith(`${dir}/`));
    expect(created).toEqual([
      { path: expect.stringMatching(/\/\.secret\.[0-9a-f]+\.tmp$/), mode: 0o600 },
    ]);
  });

  it('refuses a path whose directory does not exist, naming the file', () => {
    const path = join(scratch, 'no-such-dir', 'secret');
    const err = refusal(() => writeSecretFile(path, 'x'));
    expect(err.code).toBe('config');
    expect(err.message).toBe(`cannot write secret file ${path}: no such file or directory`);
  });

  it('leaves no temporary file when the rename fails', () => {
    const dir = freshDir();
    const path = join(dir, 'secret');
    mkdirSync(path);
    writeFileSync(join(path, 'inside'), '');
    const err = refusal(() => writeSecretFile(path, 'x'));
    expect(err.message).toContain(`cannot write secret file ${path}`);
    expect(readdirSync(dir)).toEqual(['secret']);
  });
});

describe('readSecretFile', () => {
  it('reads a 0600 file', () => {
    const path = join(freshDir(), 'secret');
    writeSecretFile(path, 'data');
    expect(readSecretFile(path).toString()).toBe('data');
  });

  it('reads a 0400 file', () => {
    const path = join(freshDir(), 'secret');
    writeFileSync(path, 'data', { mode: 0o400 });
    expect(readSecretFile(path).toString()).toBe('data');
  });

  it.each(['0644', '0640', '0604', '0610', '0601', '0666'])(
    'refuses a file with mode %s, naming the file and the fix',
    (octal) => {
      const mode = Number.parseInt(octal, 8);
      const path = join(freshDir(), 'secret');
      writeFileSync(path, 'data');
      chmodSync(path, mode);
      const err = refusal(() => readSecretFile(path));
      expect(err.code).toBe('config');
      expect(err.message).toBe(
        `secret file ${path} has mode ${octal}, which gives its group or others ` +
          `access; restrict it with: chmod 600 ${path}`,
      );
    },
  );

  it('quotes a path with spaces in the chmod advice', () => {
    const path = join(freshDir(), 'my secret');
    writeFileSync(path, 'data', { mode: 0o644 });
    expect(refusal(() => readSecretFile(path)).message).toContain(`chmod 600 '${path}'`);
  });

  it('checks the file a symbolic link points to', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'target'), 'data', { mode: 0o644 });
    symlinkSync('target', join(dir, 'link'));
    expect(refusal(() => readSecretFile(join(dir, 'link'))).message).toContain('mode 0644');
    chmodSync(join(dir, 'target'), 0o600);
    expect(readSecretFile(join(dir, 'link')).toString()).toBe('data');
  });

  it('refuses a missing file, naming it', () => {
    const path = join(scratch, 'absent');
    const err = refusal(() => readSecretFile(path));
    expect(err.code).toBe('config');
    expect(err.message).toBe(`cannot read secret file ${path}: no such file or directory`);
  });

  it('refuses a directory', () => {
    const dir = freshDir();
    chmodSync(dir, 0o700);
    expect(refusal(() => readSecretFile(dir)).message).toBe(
      `secret file ${dir} is not a regular file`,
    );
  });

  it('refuses a named pipe without waiting for a writer', () => {
    const path = join(freshDir(), 'fifo');
    execFileSync('mkfifo', ['-m', '600', path]);
    expect(refusal(() => readSecretFile(path)).message).toBe(
      `secret file ${path} is not a regular file`,
    );
  });
});
