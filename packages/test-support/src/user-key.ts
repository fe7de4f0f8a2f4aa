/**
 * User key pairs for tests, made by the real ssh-keygen so that they are exactly what an
 * operator's own tools would produce.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runChecked } from './run-command.js';

/** A private key file on disk and its public line. */
export interface KeyPair {
  /** Absolute path of the private key file, mode 0600. */
  readonly privateKeyPath: string;
  /** `ssh-ed25519 AAAA… comment` as ssh-keygen wrote it. */
  readonly publicLine: string;
}

/** A user key made by real `ssh-keygen -t ed25519 -N ''` (mode 0600). */
export async function generateUserKey(dir: string, name: string): Promise<KeyPair> {
  const privateKeyPath = join(dir, name);
  const args = ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', privateKeyPath];
  await runChecked('ssh-keygen', args);
  const publicLine = (await readFile(`${privateKeyPath}.pub`, 'utf8')).trim();
  return { privateKeyPath, publicLine };
}
