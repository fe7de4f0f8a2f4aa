/**
 * What a person sees when something fails: the message of one of our typed errors, and a
 * generic line for anything else (whose details go only to the log).
 */
import { isJujuSshError } from '@juju-ssh/core';

/** The text to send to the user's client for `error`. Never a stack trace. */
export function userFacingMessage(error: unknown): string {
  if (isJujuSshError(error)) return error.message;
  return 'the controller hit an internal error; the details are in its log';
}
