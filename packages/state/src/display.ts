/**
 * How names appear in the store's error messages: plain when they are tidy identifiers, quoted
 * and cut short otherwise, so a mistyped or hostile argument cannot garble a terminal.
 */
import { quoteUntrusted } from '@juju-ssh/core';

const TIDY = /^[A-Za-z0-9._:/+-]{1,100}$/;

/** `value` as it should appear inside a message. */
export function shown(value: string): string {
  return TIDY.test(value) ? value : quoteUntrusted(value);
}
