/** Identifiers for connections and relayed sessions: short, random, safe in a log line. */
import { randomBytes } from 'node:crypto';

/** A fresh random session or connection id, 16 hex digits. */
export function newSessionId(): string {
  return randomBytes(8).toString('hex');
}
