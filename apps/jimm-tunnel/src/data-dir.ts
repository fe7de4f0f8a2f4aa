/**
 * JIMM's data directory: where it is (flag, JUJU_SSH_JIMM_DATA_DIR, or the XDG data home) and
 * what lives inside it. Bootstrap fills it; every other command needs it filled.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { JujuSshError } from '@juju-ssh/core';

/** The files of a JIMM data directory. */
export interface JimmPaths {
  readonly root: string;
  /** jimm.yaml: the settings bootstrap wrote. */
  readonly settingsFile: string;
  /** store.db: JIMM's users, keys, models and grants. */
  readonly store: string;
  /** registry.db: controllers and the models each hosts. */
  readonly registry: string;
  /** audit.jsonl: the append-only audit file. */
  readonly auditLog: string;
  /** secrets/: mode 0700, each file in it mode 0600. */
  readonly secretsDir: string;
  readonly jumpHostKey: string;
  /** The private Ed25519 JWK relay tokens are signed with. */
  readonly signingKey: string;
}

/** The environment variable naming the data directory. */
export const DATA_DIR_ENV = 'JUJU_SSH_JIMM_DATA_DIR';

/** Where each file of the data directory at `root` lives. */
export function jimmPaths(root: string): JimmPaths {
  const secretsDir = join(root, 'secrets');
  return {
    root,
    settingsFile: join(root, 'jimm.yaml'),
    store: join(root, 'store.db'),
    registry: join(root, 'registry.db'),
    auditLog: join(root, 'audit.jsonl'),
    secretsDir,
    jumpHostKey: join(secretsDir, 'jump-host-key'),
    signingKey: join(secretsDir, 'relay-signing-key.jwk'),
  };
}

/** The flag, else JUJU_SSH_JIMM_DATA_DIR, else `${XDG_DATA_HOME:-~/.local/share}/juju-ssh/jimm`. */
export function resolveDataDir(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const chosen = [flag, env[DATA_DIR_ENV]].find((value) => value !== undefined && value !== '');
  if (chosen !== undefined) return resolve(chosen);
  const dataHome = env.XDG_DATA_HOME || join(env.HOME ?? homedir(), '.local', 'share');
  return resolve(dataHome, 'juju-ssh', 'jimm');
}

/** @throws JujuSshError `config` naming the directory and the bootstrap command. */
export function assertBootstrapped(paths: JimmPaths): void {
  if (existsSync(paths.settingsFile)) return;
  throw new JujuSshError(
    'config',
    `JIMM data directory ${paths.root} has not been bootstrapped; create it with: ` +
      `jimm-tunnel bootstrap --data-dir ${paths.root}`,
  );
}
