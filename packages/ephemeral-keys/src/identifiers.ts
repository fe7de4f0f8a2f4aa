/**
 * The names that end up inside authorized_keys lines and the forced command's arguments. They
 * are checked here, before anything is sent to a machine, with the same rules the forced
 * command applies on the machine.
 */
import { JujuSshError, quoteUntrusted } from '@juju-ssh/core';

/** Longest controller id or session id accepted. */
export const MAX_ID_LENGTH = 64;

const CONTROLLER_ID = /^[a-z0-9-]+$/;
const SESSION_ID = /^[A-Za-z0-9-]+$/;

/** Comment prefix of every ephemeral key line. */
export const EPHEMERAL_COMMENT_PREFIX = 'juju-ssh-ephemeral';

/** Comment prefix of the system identity key line. */
export const SYSTEM_COMMENT_PREFIX = 'juju-ssh-system';

/** @throws JujuSshError `invalid-argument` unless `id` is lowercase letters, digits, hyphens. */
export function checkControllerId(id: string): void {
  if (!CONTROLLER_ID.test(id) || id.length > MAX_ID_LENGTH) {
    throw new JujuSshError(
      'invalid-argument',
      `controller id ${quoteUntrusted(id)} must be 1 to ${MAX_ID_LENGTH} characters ` +
        'of a-z, 0-9 and -',
    );
  }
}

/** @throws JujuSshError `invalid-argument` unless `id` is letters, digits and hyphens. */
export function checkSessionId(id: string): void {
  if (!SESSION_ID.test(id) || id.length > MAX_ID_LENGTH) {
    throw new JujuSshError(
      'invalid-argument',
      `session id ${quoteUntrusted(id)} must be 1 to ${MAX_ID_LENGTH} characters ` +
        'of A-Z, a-z, 0-9 and -',
    );
  }
}

/** The comment of a session's key line: `juju-ssh-ephemeral:<controllerId>:<sessionId>`. */
export function ephemeralKeyComment(controllerId: string, sessionId: string): string {
  checkControllerId(controllerId);
  checkSessionId(sessionId);
  return `${EPHEMERAL_COMMENT_PREFIX}:${controllerId}:${sessionId}`;
}
