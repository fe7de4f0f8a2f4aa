/**
 * Ed25519 host keys made from a 32-byte seed: random for a new jump host key, derived for a
 * virtual host key. The private key is written in OpenSSH's own format, which ssh2 reads.
 */
import { randomBytes } from 'node:crypto';
import { ed25519PublicBlob, encodeEd25519PrivateKey, fingerprint } from '@juju-ssh/core';
import * as ed from '@noble/ed25519';
import { sha512 } from '@noble/hashes/sha2.js';
import type { HostKey } from './host-key.js';

// The synchronous ed25519 API needs a SHA-512; every caller in the process gets the same one.
ed.hashes.sha512 ??= sha512;

/** The host key whose private seed is `seed` (32 bytes). */
export function ed25519HostKeyFromSeed(seed: Uint8Array, comment = ''): HostKey {
  const publicKey = ed.getPublicKey(seed);
  const blob = ed25519PublicBlob(publicKey);
  return {
    privateKey: encodeEd25519PrivateKey(seed, publicKey, comment),
    publicLine: `ssh-ed25519 ${blob.toString('base64')}`,
    fingerprint: fingerprint(blob),
  };
}

/**
 * A new random ed25519 host key, such as the jump host key made at bootstrap.
 * @param comment stored in the private key file only; the public line carries none
 */
export function generateEd25519HostKey(comment = ''): HostKey {
  return ed25519HostKeyFromSeed(randomBytes(32), comment);
}
