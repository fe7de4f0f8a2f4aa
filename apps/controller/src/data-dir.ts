/**
 * The controller's data directory: where it is (flag, JUJU_SSH_DATA_DIR, or the XDG data home)
 * and what lives inside it. Bootstrap fills it; every other command needs it filled.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { JujuSshError } from '@juju-ssh/core';

/** The files of a data directory. */
export interface DataDirPaths {
  readonly root: string;
  /** controller.yaml: the settings bootstrap wrote. */
  readonly settingsFile: string;
  /** store.db: the embedded store. */
  readonly store: string;
  /** audit.jsonl: the append-only audit file. */
  readonly auditLog: string;
  /** secrets/: mode 0700, each file in it mode 0600. */
  readonly secretsDir: string;
  readonly jumpHostKey: string;
  readonly virtualHostKeySecret: string;
  readonly systemKey: string;
  /** jimm-jwks.json: the public keys of the JIMM this controller trusts, when there is one. */
  readonly jimmJwks: string;
  /** The HTTPS API's certificate chain (server first, issuers after), PEM. */
  readonly apiCertificate: string;
  /** Its private key, PEM. */
  readonly apiKey: string;
  /** The controller's own CA for the API, when it issued the certificate. */
  readonly apiCaCertificate: string;
  readonly apiCaKey: string;
}

/** The environment variable naming the data directory. */
export const DATA_DIR_ENV = 'JUJU_SSH_DATA_DIR';

/** Where each file of the data directory at `root` lives. */
export function dataDirPaths(root: string): DataDirPaths {
  const secretsDir = join(root, 'secrets');
  return {
    root,
    settingsFile: join(root, 'controller.yaml'),
    store: join(root, 'store.db'),
    auditLog: join(root, 'audit.jsonl'),
    secretsDir,
    jumpHostKey: join(secretsDir, 'jump-host-key'),
    virtualHostKeySecret: join(secretsDir, 'virtual-host-key-secret'),
    systemKey: join(secretsDir, 'system-key'),
    jimmJwks: join(root, 'jimm-jwks.json'),
    apiCertificate: join(secretsDir, 'api-cert.pem'),
    apiKey: join(secretsDir, 'api-key.pem'),
    apiCaCertificate: join(secretsDir, 'api-ca-cert.pem'),
    apiCaKey: join(secretsDir, 'api-ca-key.pem'),
  };
}

/**
 * The data directory: the flag, else JUJU_SSH_DATA_DIR, else
 * `${XDG_DATA_HOME:-~/.local/share}/juju-ssh/controller`; always absolute.
 */
export function resolveDataDir(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): string {
  const chosen = nonEmpty(flag) ?? nonEmpty(env[DATA_DIR_ENV]);
  if (chosen !== undefined) return resolve(chosen);
  const dataHome = nonEmpty(env.XDG_DATA_HOME) ?? join(env.HOME ?? homedir(), '.local', 'share');
  return resolve(dataHome, 'juju-ssh', 'controller');
}

/**
 * Checks that bootstrap has filled the data directory.
 * @throws JujuSshError `config` naming the directory and the bootstrap command.
 */
export function assertBootstrapped(paths: DataDirPaths): void {
  if (existsSync(paths.settingsFile)) return;
  const what = existsSync(paths.root) ? 'has not been bootstrapped' : 'does not exist';
  throw new JujuSshError(
    'config',
    `data directory ${paths.root} ${what}; create it with: juju-ssh-controller bootstrap ` +
      `--data-dir ${paths.root}`,
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
