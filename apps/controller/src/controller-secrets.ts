/**
 * The controller's three secrets: the jump host key, the virtual host key secret and the system
 * key machines trust for ephemeral key upkeep. Made at bootstrap, read from 0600 files after.
 */
import { JujuSshError } from '@juju-ssh/core';
import {
  generateEd25519HostKey,
  type HostKey,
  loadHostKeyFile,
  readSecretFile,
  VirtualHostKeys,
  writeSecretFile,
} from '@juju-ssh/host-keys';
import type { DataDirPaths } from './data-dir.js';
import { assertSecretFilePresent } from './secret-file-check.js';

/** The secrets as bootstrap makes them and the daemon uses them. */
export interface ControllerSecrets {
  readonly jumpHostKey: HostKey;
  readonly virtualHostKeySecret: Uint8Array;
  /** An ed25519 key pair; only its public line leaves the controller. */
  readonly systemKey: HostKey;
}

const VIRTUAL_HOST_KEY_SECRET_BYTES = 32;

/**
 * Makes a fresh set of secrets. The jump host key is generated (ed25519) unless the operator
 * supplies a private key file, which is checked (type, no passphrase, signs) and then used.
 */
export function createControllerSecrets(options: {
  readonly controllerId: string;
  readonly jumpHostKeyFile?: string;
}): ControllerSecrets {
  const jumpHostKey =
    options.jumpHostKeyFile === undefined
      ? generateEd25519HostKey(`juju-ssh jump host key ${options.controllerId}`)
      : loadHostKeyFile(options.jumpHostKeyFile);
  return {
    jumpHostKey,
    virtualHostKeySecret: VirtualHostKeys.generateSecret(),
    systemKey: generateEd25519HostKey(`juju-ssh system key ${options.controllerId}`),
  };
}

/** Writes each secret to its file with mode 0600 (the secrets directory must exist). */
export function writeControllerSecrets(paths: DataDirPaths, secrets: ControllerSecrets): void {
  writeSecretFile(paths.jumpHostKey, secrets.jumpHostKey.privateKey);
  writeSecretFile(paths.virtualHostKeySecret, secrets.virtualHostKeySecret);
  writeSecretFile(paths.systemKey, secrets.systemKey.privateKey);
}

/**
 * Reads the jump host key.
 * @throws JujuSshError naming the file when it is missing, readable by others, or not a key.
 */
export function loadJumpHostKey(paths: DataDirPaths): HostKey {
  assertSecretFilePresent(paths.jumpHostKey);
  return loadHostKeyFile(paths.jumpHostKey);
}

/**
 * Reads the system key.
 * @throws JujuSshError naming the file when it is missing, readable by others, or not a key.
 */
export function loadSystemKey(paths: DataDirPaths): HostKey {
  assertSecretFilePresent(paths.systemKey);
  return loadHostKeyFile(paths.systemKey);
}

/**
 * Reads the 32-byte virtual host key secret.
 * @throws JujuSshError `config` naming the file when it is missing, loose, or the wrong size.
 */
export function loadVirtualHostKeySecret(paths: DataDirPaths): Uint8Array {
  assertSecretFilePresent(paths.virtualHostKeySecret);
  const secret = readSecretFile(paths.virtualHostKeySecret);
  if (secret.length !== VIRTUAL_HOST_KEY_SECRET_BYTES) {
    throw new JujuSshError(
      'config',
      `secret file ${paths.virtualHostKeySecret} holds ${secret.length} bytes; it must hold ` +
        `exactly ${VIRTUAL_HOST_KEY_SECRET_BYTES} (restore it from a backup of this controller)`,
    );
  }
  return secret;
}
