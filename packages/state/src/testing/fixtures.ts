/**
 * Test fixtures for the store: throwaway data directories, stores opened in them, and real
 * key pairs made by ssh-keygen. Used by tests only; not part of the build.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ErrorCode } from '@juju-ssh/core';
import { expect, onTestFinished } from 'vitest';
import { SqliteStore } from '../sqlite-store.js';

/** A fresh directory, removed when the current test finishes. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'juju-ssh-state-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A store on a fresh file, closed when the current test finishes. */
export function openTempStore(): { store: SqliteStore; path: string; dir: string } {
  const dir = tempDir();
  const path = join(dir, 'store.db');
  const store = SqliteStore.open(path);
  onTestFinished(() => store.close());
  return { store, path, dir };
}

/** A public key made by ssh-keygen, with the fingerprint ssh-keygen reports for it. */
export interface GeneratedKey {
  readonly publicLine: string;
  readonly fingerprint: string;
}

let counter = 0;

/** Runs ssh-keygen to make a key pair in `dir` and returns its public half. */
export function generateKey(
  dir: string,
  comment: string,
  type: 'ed25519' | 'ecdsa' = 'ed25519',
): GeneratedKey {
  counter += 1;
  const file = join(dir, `key-${counter}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', comment, '-f', file]);
  const listing = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${file}.pub`]);
  const fingerprint = listing.toString().split(' ')[1] ?? '';
  return { publicLine: readFileSync(`${file}.pub`, 'utf8').trim(), fingerprint };
}

/** Matches a JujuSshError with this code and a message equal to, or matching, `message`. */
export function refusal(code: ErrorCode, message: string | RegExp): unknown {
  return expect.objectContaining({
    name: 'JujuSshError',
    code,
    message: typeof message === 'string' ? message : expect.stringMatching(message),
  });
}
