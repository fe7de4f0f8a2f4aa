/**
 * Per-session ed25519 key pairs. They live in memory only: the private half goes straight to the
 * upstream SSH client, the public half into the machine's authorized_keys for one session.
 */
import {
  ed25519PublicBlob,
  encodeEd25519PrivateKey,
  fingerprint,
  formatPublicKeyLine,
} from '@juju-ssh/core';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';

ed.hashes.sha512 = sha512;

/** An ed25519 key pair made for one session. */
export interface EphemeralKey {
  /** The private key as an `openssh-key-v1` file, as ssh2 and ssh-keygen read it. */
  readonly privateKey: string;
  /** `ssh-ed25519 AAAA…`, without a comment. */
  readonly publicLine: string;
  /** `SHA256:…` of the public key, as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
}

/** A fresh ed25519 key pair, made in memory from the system's secure random source. */
export function createEphemeralKey(): EphemeralKey {
  const { secretKey, publicKey } = ed.keygen();
  const blob = ed25519PublicBlob(publicKey);
  return {
    privateKey: encodeEd25519PrivateKey(secretKey, publicKey),
    publicLine: formatPublicKeyLine({ type: 'ssh-ed25519', blob, comment: '' }),
    fingerprint: fingerprint(blob),
  };
}
