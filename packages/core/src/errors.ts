/**
 * Typed errors shared by every layer. Each carries a stable `code` that callers branch on and a
 * message written for the person who has to act on it.
 */

/** Stable error codes; one per kind of failure a caller may need to tell apart. */
export type ErrorCode =
  | 'bad-target'
  | 'access-denied'
  | 'not-found'
  | 'already-exists'
  | 'host-key-mismatch'
  | 'invalid-key'
  | 'invalid-argument'
  | 'upstream-failed'
  | 'config'
  | 'store';

/** The base of every error this project raises on purpose. */
export class JujuSshError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JujuSshError';
    this.code = code;
  }
}

/** True when `err` is a {@link JujuSshError}, optionally of the given code. */
export function isJujuSshError(err: unknown, code?: ErrorCode): err is JujuSshError {
  return err instanceof JujuSshError && (code === undefined || err.code === code);
}

/**
 * Renders untrusted text (a target name, a user name) for an error message: printable ASCII
 * only, quoted, and cut short so a hostile value cannot flood a log line or a terminal.
 */
export function quoteUntrusted(value: string, max = 64): string {
  const printable = value.replace(/[^\x20-\x7e]/g, '?');
  const cut = printable.length > max ? `${printable.slice(0, max)}…` : printable;
  return JSON.stringify(cut);
}
