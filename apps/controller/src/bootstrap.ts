/**
 * Bootstrap: fills a new data directory with its settings, store, audit file and secrets. The
 * directory is built beside its final place and renamed into it, so a failed bootstrap leaves
 * nothing half made, and an existing controller is never overwritten.
 */
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatHostPort, JujuSshError } from '@juju-ssh/core';
import { SqliteStore } from '@juju-ssh/state';
import { type ApiTlsMaterial, writeApiTls } from './api-tls-files.js';
import type { Settings } from './config/settings.js';
import { writeSettingsFile } from './config/settings-file.js';
import {
  type ControllerSecrets,
  createControllerSecrets,
  writeControllerSecrets,
} from './controller-secrets.js';
import { type DataDirPaths, dataDirPaths } from './data-dir.js';

/** What bootstrap needs to know. */
export interface BootstrapOptions {
  readonly settings: Pick<Settings, 'controller-id' | 'ssh-address'>;
  /** An operator's OpenSSH private key to use as the jump host key instead of a new one. */
  readonly jumpHostKeyFile?: string;
  /** The HTTPS API's certificate and key (and own CA), written into secrets/. */
  readonly apiTls?: ApiTlsMaterial;
}

/** A bootstrapped data directory and the secrets made for it. */
export interface BootstrapResult {
  readonly paths: DataDirPaths;
  readonly secrets: ControllerSecrets;
}

const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;

/**
 * Creates the data directory at `root` (mode 0700) with everything a controller needs.
 * @throws JujuSshError `already-exists` when `root` holds anything, `invalid-key` for a bad
 *   supplied jump host key, `config` when the directory cannot be written.
 */
export function bootstrapDataDir(root: string, options: BootstrapOptions): BootstrapResult {
  const paths = dataDirPaths(root);
  refuseExisting(root);
  const secrets = createControllerSecrets({
    controllerId: options.settings['controller-id'],
    jumpHostKeyFile: options.jumpHostKeyFile,
  });

  const parent = dirname(root);
  attempt(`create ${parent}`, () => mkdirSync(parent, { recursive: true }));
  const staging = attempt(`write in ${parent}`, () =>
    mkdtempSync(join(parent, `.${basename(root)}.bootstrap-`)),
  );
  try {
    fill(dataDirPaths(staging), options, secrets);
    // rename(2) replaces an empty directory but not one that something filled meanwhile.
    attempt(`create ${root}`, () => renameSync(staging, root));
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (error instanceof JujuSshError) throw error;
    throw new JujuSshError('config', `cannot bootstrap ${root}: ${describe(error)}`);
  }
  return { paths, secrets };
}

function fill(staging: DataDirPaths, options: BootstrapOptions, secrets: ControllerSecrets): void {
  mkdirSync(staging.secretsDir, { mode: PRIVATE_DIR_MODE });
  writeControllerSecrets(staging, secrets);
  if (options.apiTls !== undefined) writeApiTls(staging, options.apiTls);
  SqliteStore.open(staging.store).close();
  closeSync(openSync(staging.auditLog, 'wx', PRIVATE_FILE_MODE));
  // Written last: its presence is what marks a directory as bootstrapped.
  writeSettingsFile(staging.settingsFile, {
    'controller-id': options.settings['controller-id'],
    'ssh-address': formatHostPort(options.settings['ssh-address']),
  });
}

function refuseExisting(root: string): void {
  let entries: string[];
  try {
    if (!statSync(root).isDirectory()) {
      throw new JujuSshError('already-exists', `${root} exists and is not a directory`);
    }
    entries = readdirSync(root);
  } catch (error) {
    if (error instanceof JujuSshError) throw error;
    if (isCode(error, 'ENOENT')) return;
    throw new JujuSshError('config', `cannot read ${root}: ${describe(error)}`);
  }
  if (entries.includes('controller.yaml')) {
    throw new JujuSshError(
      'already-exists',
      `data directory ${root} is already bootstrapped; bootstrap never overwrites a ` +
        'controller (choose another --data-dir, or move this one aside first)',
    );
  }
  if (entries.length > 0) {
    throw new JujuSshError(
      'already-exists',
      `data directory ${root} is not empty; bootstrap only fills a new or empty directory`,
    );
  }
}

function attempt<T>(what: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (isCode(error, 'ENOTEMPTY') || isCode(error, 'EEXIST')) {
      throw new JujuSshError('already-exists', `cannot ${what}: it was filled meanwhile`);
    }
    throw new JujuSshError('config', `cannot ${what}: ${describe(error)}`);
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
