/**
 * Bootstrap: fills a new JIMM data directory with its settings, store, registry, audit file and
 * secrets. It is built beside its final place and renamed into it, so a failed bootstrap leaves
 * nothing half made and an existing JIMM is never overwritten.
 */
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { SqliteControllerRegistry } from '@juju-ssh/controller-registry';
import { JujuSshError } from '@juju-ssh/core';
import type { HostKey } from '@juju-ssh/host-keys';
import type { SigningKey } from '@juju-ssh/relay-token';
import { SqliteStore } from '@juju-ssh/state';
import { writeSettingsFile } from './config/load-settings.js';
import { type JimmPaths, jimmPaths } from './data-dir.js';
import { createJimmSecrets } from './jimm-secrets.js';

/** A bootstrapped JIMM data directory and the keys made for it. */
export interface JimmBootstrap {
  readonly paths: JimmPaths;
  readonly jumpHostKey: HostKey;
  readonly signingKey: SigningKey;
}

/**
 * Creates the data directory at `root` (mode 0700).
 * @throws JujuSshError `already-exists` when `root` holds anything, `config` when it cannot be
 *   written.
 */
export async function bootstrapJimm(
  root: string,
  settings: { readonly jimmId: string; readonly sshAddress: string },
): Promise<JimmBootstrap> {
  refuseExisting(root);
  const parent = dirname(root);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(root)}.bootstrap-`));
  try {
    const paths = jimmPaths(staging);
    mkdirSync(paths.secretsDir, { mode: 0o700 });
    const secrets = await createJimmSecrets(paths, settings.jimmId);
    SqliteStore.open(paths.store).close();
    SqliteControllerRegistry.open(paths.registry).close();
    closeSync(openSync(paths.auditLog, 'wx', 0o600));
    writeSettingsFile(paths.settingsFile, {
      'jimm-id': settings.jimmId,
      'ssh-address': settings.sshAddress,
    });
    renameSync(staging, root);
    return { paths: jimmPaths(root), ...secrets };
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (error instanceof JujuSshError) throw error;
    throw new JujuSshError('config', `cannot bootstrap ${root}: ${(error as Error).message}`);
  }
}

function refuseExisting(root: string): void {
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    return;
  }
  if (entries.length > 0) {
    throw new JujuSshError(
      'already-exists',
      `${root} is not empty; bootstrap only fills a new or empty directory`,
    );
  }
}
