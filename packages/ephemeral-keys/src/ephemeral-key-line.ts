/**
 * The authorized_keys line of a session's ephemeral key: an `expiry-time` option, so a line a
 * crash left behind stops working on its own, and a comment naming controller and session.
 */
import { JujuSshError, parsePublicKeyLine } from '@juju-ssh/core';
import { ephemeralKeyComment } from './identifiers.js';

/**
 * `expiry-time` value for `date`: UTC, to the second, with the `Z` suffix (OpenSSH 9.2 reads a
 * trailing `Z` as UTC, so the machine's time zone does not matter).
 */
export function formatExpiryTime(date: Date): string {
  const iso = date.toISOString(); // 2026-12-04T17:32:29.123Z
  return `${iso.slice(0, 19).replace(/[-:T]/g, '')}Z`;
}

/** `expiry-time="<UTC>Z" ssh-ed25519 <base64> juju-ssh-ephemeral:<controller>:<session>`. */
export function ephemeralKeyLine(
  publicLine: string,
  controllerId: string,
  sessionId: string,
  expiresAt: Date,
): string {
  const key = parsePublicKeyLine(publicLine);
  if (key.type !== 'ssh-ed25519') {
    throw new JujuSshError('invalid-key', `an ephemeral key must be ssh-ed25519, not ${key.type}`);
  }
  const comment = ephemeralKeyComment(controllerId, sessionId);
  const data = key.blob.toString('base64');
  return `expiry-time="${formatExpiryTime(expiresAt)}" ${key.type} ${data} ${comment}`;
}
