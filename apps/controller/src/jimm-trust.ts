/**
 * Trusting a JIMM: its public JWKS is checked and copied into the data directory, where the
 * running controller reads it on every relayed login, so trusting or replacing a JIMM needs no
 * restart.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { JujuSshError } from '@juju-ssh/core';
import { parseJwks } from '@juju-ssh/relay-token';
import type { DataDirPaths } from './data-dir.js';

/**
 * Reads and checks a JIMM's JWKS file; returns its text and key ids.
 * @throws JujuSshError `config` naming the file and what is wrong with it.
 */
export function readJimmJwks(file: string): { text: string; keyIds: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JujuSshError('config', `cannot read the JIMM key set ${file}: ${reason}`);
  }
  const jwks = parseJwks(text, file);
  return { text, keyIds: jwks.keys.map((key) => String(key.kid)) };
}

/** Installs a checked JWKS as the data directory's trusted JIMM key set, replacing any. */
export function installJimmJwks(paths: DataDirPaths, jwks: { text: string }): void {
  const staging = `${paths.jimmJwks}.new`;
  try {
    writeFileSync(staging, jwks.text, { mode: 0o644 });
    renameSync(staging, paths.jimmJwks);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new JujuSshError('config', `cannot write ${paths.jimmJwks}: ${reason}`);
  }
}
