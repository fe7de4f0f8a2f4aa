/**
 * Virtual host keys: the key the controller presents for a target, derived from one secret and
 * the target's identity, so it is stable across restarts and controllers without being stored.
 */
import { randomBytes } from 'node:crypto';
import {
  isApplicationName,
  isMachineId,
  isModelUuid,
  JujuSshError,
  quoteUntrusted,
} from '@juju-ssh/core';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { ed25519HostKeyFromSeed } from './ed25519-host-key.js';
import type { HostKey } from './host-key.js';

/**
 * The derivation's version, part of its HKDF salt. Changing how keys are derived means a new
 * version, so every virtual host key changes at once and on purpose.
 */
export const VIRTUAL_HOST_KEY_VERSION = 1;

const SECRET_LENGTH = 32;
const SALT = new TextEncoder().encode(`juju-ssh virtual host key v${VIRTUAL_HOST_KEY_VERSION}`);
const DEFAULT_CACHE_SIZE = 4096;

/** Derives and remembers the virtual host key of each target identity. */
export class VirtualHostKeys {
  private readonly secret: Uint8Array;
  private readonly cache = new Map<string, HostKey>();

  /**
   * @param secret the controller's 32-byte virtual host key secret, shared by an HA cluster
   * @param cacheSize how many derived keys to keep; the least recently used go first
   * @throws JujuSshError `config` when the secret is not 32 bytes.
   */
  constructor(
    secret: Uint8Array,
    private readonly cacheSize = DEFAULT_CACHE_SIZE,
  ) {
    if (!(secret instanceof Uint8Array) || secret.length !== SECRET_LENGTH) {
      const length = secret instanceof Uint8Array ? secret.length : 'not';
      throw new JujuSshError(
        'config',
        `the virtual host key secret must be ${SECRET_LENGTH} bytes, but it is ${length} bytes`,
      );
    }
    // A copy, so a caller reusing its buffer cannot change the keys later.
    this.secret = Uint8Array.from(secret);
  }

  /** A new random secret, made once at bootstrap. */
  static generateSecret(): Uint8Array {
    return new Uint8Array(randomBytes(SECRET_LENGTH));
  }

  /**
   * The host key for a target identity (see {@link machineHostKeyIdentity} and
   * {@link unitHostKeyIdentity}); the same secret and identity always give the same key.
   */
  forIdentity(identity: string): HostKey {
    if (identity.length === 0) {
      throw new JujuSshError('invalid-argument', 'a virtual host key identity cannot be empty');
    }
    const cached = this.cache.get(identity);
    if (cached !== undefined) {
      // Re-inserting marks it most recently used; Map keeps insertion order.
      this.cache.delete(identity);
      this.cache.set(identity, cached);
      return cached;
    }

    const info = new TextEncoder().encode(identity);
    const seed = hkdf(sha256, this.secret, SALT, info, 32);
    const key = ed25519HostKeyFromSeed(seed);
    this.cache.set(identity, key);
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= this.cacheSize) break;
      this.cache.delete(oldest);
    }
    return key;
  }
}

/**
 * The identity of a machine, shared by the units placed on it: `<model-uuid>/machine/<id>`.
 * @param machineId a Juju machine id, `0/lxd/1` (the target-name form `0-lxd-1` also works)
 */
export function machineHostKeyIdentity(modelUuid: string, machineId: string): string {
  checkModelUuid(modelUuid);
  if (!isMachineId(machineId)) {
    throw new JujuSshError('invalid-argument', `bad machine id ${quoteUntrusted(machineId)}`);
  }
  return `${modelUuid}/machine/${machineId.replaceAll('-', '/')}`;
}

/**
 * The identity of a Kubernetes unit, shared by the containers of its pod:
 * `<model-uuid>/unit/<application>/<n>`.
 */
export function unitHostKeyIdentity(
  modelUuid: string,
  application: string,
  unitNumber: number,
): string {
  checkModelUuid(modelUuid);
  if (!isApplicationName(application)) {
    throw new JujuSshError(
      'invalid-argument',
      `bad application name ${quoteUntrusted(application)}`,
    );
  }
  if (!Number.isSafeInteger(unitNumber) || unitNumber < 0) {
    throw new JujuSshError('invalid-argument', `bad unit number ${unitNumber}`);
  }
  return `${modelUuid}/unit/${application}/${unitNumber}`;
}

function checkModelUuid(modelUuid: string): void {
  if (!isModelUuid(modelUuid)) {
    throw new JujuSshError('invalid-argument', `bad model UUID ${quoteUntrusted(modelUuid)}`);
  }
}
