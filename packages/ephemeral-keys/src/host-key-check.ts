/**
 * Pins a machine's real host key for the upstream SSH client: only the recorded key's algorithm
 * is offered, and the key presented must be the recorded one. Nothing is trusted on first use.
 */
import { fingerprint, JujuSshError, parsePublicKeyLine, sameKey } from '@juju-ssh/core';
import type { ServerHostKeyAlgorithm } from 'ssh2';

/** Where and how to reach a machine's sshd, with the host key recorded for it. */
export interface MachineEndpoint {
  readonly address: string;
  readonly port: number;
  /** The machine's host key as an OpenSSH public line. */
  readonly hostKey: string;
  /** Names the machine in messages, e.g. "machine 0 in model prod". */
  readonly description: string;
}

/** A verifier for ssh2's `hostVerifier`, remembering what the machine presented. */
export interface HostKeyCheck {
  /** Host key algorithms to offer, matching the recorded key. */
  readonly algorithms: ServerHostKeyAlgorithm[];
  /** True when `blob` is the recorded key. */
  verify(blob: Buffer): boolean;
  /** The mismatch error, once a different key was presented; otherwise undefined. */
  mismatch(): JujuSshError | undefined;
}

/** Builds the check for one connection attempt to `machine`. */
export function hostKeyCheck(machine: MachineEndpoint): HostKeyCheck {
  const recorded = parsePublicKeyLine(machine.hostKey);
  let presented: Buffer | undefined;
  return {
    algorithms: algorithmsFor(recorded.type),
    verify(blob) {
      if (sameKey(blob, recorded.blob)) return true;
      presented = Buffer.from(blob);
      return false;
    },
    mismatch() {
      if (presented === undefined) return undefined;
      return new JujuSshError(
        'host-key-mismatch',
        `${machine.description} (${machine.address}:${machine.port}) presented host key ` +
          `${fingerprint(presented)}, but ${fingerprint(recorded.blob)} is recorded for it; ` +
          'if the machine was rebuilt or its key rotated on purpose, record the new key with ' +
          'update-machine',
      );
    },
  };
}

function algorithmsFor(type: string): ServerHostKeyAlgorithm[] {
  switch (type) {
    case 'ssh-ed25519':
    case 'ecdsa-sha2-nistp256':
    case 'ecdsa-sha2-nistp384':
    case 'ecdsa-sha2-nistp521':
      return [type];
    default:
      return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  }
}
